/**
 * The one place test code reads the environment (the linter forbids `process.env`
 * elsewhere): which real services this run uses, and the debugging knobs.
 */
export const testEnv = {
  /** A real Postgres to create throwaway databases on; unset means embedded PGlite. */
  databaseUrl: process.env.DATABASE_URL || undefined,
  /** A real Redis for rate limits; unset means the in-process limiter. */
  redisUrl: process.env.REDIS_URL || undefined,
  /** pino level for test servers (`TEST_LOG_LEVEL=info` to watch one). */
  logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
  /** Louder logs from the graceful-shutdown tests' server processes. */
  debugShutdown: Boolean(process.env.DEBUG_SHUTDOWN),
  /** The browser the e2e tests drive: Debian's Chromium unless CHROMIUM_PATH names another. */
  chromiumPath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
} as const;

/** What any child process needs to start (PATH, HOME), and nothing else of ours. */
export function minimalChildEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.HOME) env.HOME = process.env.HOME;
  return env;
}

/** This process's environment without the variables matching `drop` (e.g. npm's own `npm_*`). */
export function inheritedEnv(drop?: RegExp): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !drop?.test(key)) env[key] = value;
  }
  return env;
}
