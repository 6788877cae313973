import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The directory the user ran npm from (npm sets INIT_CWD), so `.env` and
 * `./.data/` mean the repository root even though npm runs workspace
 * scripts inside the workspace.
 */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** Loads `.env` from the invocation directory, if there is one; real environment variables win. */
export function loadDotEnv(dir: string): void {
  const file = resolve(dir, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
