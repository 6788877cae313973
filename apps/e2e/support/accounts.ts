import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { createAdmin } from "@voiceassist/api";
import { minimalChildEnv } from "@voiceassist/testing/env";
import { REPO_ROOT } from "@voiceassist/testing/server-process";

import type { Stack } from "./stack";

const run = promisify(execFile);

/**
 * Makes an admin the way an operator does: `npm run admin:create` against the
 * test database. The embedded test database lives in this process's memory, where no
 * other process can reach it, so there the CLI's own service is called instead.
 */
export async function createAdminAccount(stack: Stack, account: { email: string; password: string }) {
  const url = stack.api.database.url;
  if (!url) {
    await createAdmin(stack.api.deps.api, { email: account.email, password: account.password, fullName: "Test Admin" });
    return;
  }
  await run("npm", ["run", "--silent", "admin:create", "--", "--email", account.email, "--name", "Test Admin"], {
    cwd: REPO_ROOT,
    // npm needs only PATH and HOME; the CLI needs only what is named here.
    env: { ...minimalChildEnv(), DATABASE_URL: url, ADMIN_PASSWORD: account.password, BCRYPT_ROUNDS: "4", LOG_LEVEL: "silent" },
    timeout: 60_000,
  });
}

/** A plain user registered through the API (not the browser), for tests that need one to exist. */
export async function registerUser(stack: Stack, account: { email: string; password: string; fullName?: string }) {
  const { user } = await stack.api.client().auth.register.mutate(account);
  return user;
}
