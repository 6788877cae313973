/** A Postgres database the bench may connect to in order to create and drop its own throwaway databases. */
export const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Extra node flags for the server under test, e.g. BENCH_SERVER_NODE_ARGS=--cpu-prof. */
export const SERVER_NODE_ARGS = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
/** libuv's pool size, which bounds parallel bcrypt work. */
export const THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
export const JWT_SECRET = "bench-secret-that-is-long-enough-for-hs256!!";
export const PASSWORD = "bench-password-123";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A knob that takes one of `choices`, or undefined when unset (e.g. BENCH_ONLY=auth.me). */
export function envChoice<T extends string>(name: string, choices: readonly T[]): T | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  if (!choices.includes(raw as T)) throw new Error(`${name} must be one of ${choices.join(", ")}`);
  return raw as T;
}

/** Integer env knob, e.g. BENCH_DURATION=10 for a quick run. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
