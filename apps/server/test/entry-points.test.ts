import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { minimalChildEnv } from "@voiceassist/testing/env";
import { REPO_ROOT as REPO } from "@voiceassist/testing/server-process";

const run = promisify(execFile);

/**
 * The README's commands, run the way a newcomer runs them: no DATA_DIR, from
 * the repository root or from inside the workspace, in a throwaway copy of
 * the repository (its own root, its own .data/), so this machine's real
 * .data/ and .env are never touched.
 */
describe("every entry point reads one .env and opens one embedded database", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "va-entry-"));
    await cp(join(REPO, "package.json"), join(root, "package.json"));
    await mkdir(join(root, "apps/server"), { recursive: true });
    for (const part of ["package.json", "tsconfig.json", "src"]) {
      await cp(join(REPO, "apps/server", part), join(root, "apps/server", part), { recursive: true });
    }
    // Dependencies come from the real install; only the code that finds the root is copied.
    await symlink(join(REPO, "node_modules"), join(root, "node_modules"));
    await symlink(join(REPO, "packages"), join(root, "packages"));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  // Only what npm needs, plus the CLI's password: no DATABASE_URL (embedded), no DATA_DIR.
  const adminCreate = (cwd: string, email: string) =>
    run("npm", ["run", "--silent", "admin:create", "--", "--email", email], {
      cwd,
      env: { ...minimalChildEnv(), ADMIN_PASSWORD: "correct-horse-battery", BCRYPT_ROUNDS: "4", LOG_LEVEL: "silent" },
      timeout: 90_000,
    });

  it("admin:create from the root and from apps/server reach the same database, under the root's .data/", async () => {
    const first = await adminCreate(root, "first@example.com");
    expect(first.stdout).toMatch(/created admin first@example\.com/);
    expect(existsSync(join(root, ".data/pglite"))).toBe(true);
    // Only the server signs tokens, so the CLI leaves no signing key behind.
    expect(existsSync(join(root, ".data/jwt-secret"))).toBe(false);

    // The same account seen from inside the workspace: one database, not two.
    const again = await adminCreate(join(root, "apps/server"), "first@example.com");
    expect(again.stdout).toMatch(/first@example\.com .* is already an admin/);
    expect(existsSync(join(root, "apps/server/.data"))).toBe(false);
  }, 120_000);

  it("the root .env applies when the script runs inside the workspace", async () => {
    await writeFile(join(root, ".env"), "DATA_DIR=from-dotenv\n");
    try {
      const result = await adminCreate(join(root, "apps/server"), "second@example.com");
      expect(result.stdout).toMatch(/created admin second@example\.com/);
      expect(existsSync(join(root, "from-dotenv/pglite"))).toBe(true);
    } finally {
      await rm(join(root, ".env"), { force: true });
    }
  }, 120_000);
});
