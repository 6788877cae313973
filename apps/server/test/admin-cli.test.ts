import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { createPasswordHasher } from "@voiceassist/api";
import { nextcloudProvisioning, users } from "@voiceassist/db";
import { eq } from "drizzle-orm";
import { minimalChildEnv, testEnv } from "@voiceassist/testing/env";

const cli = resolve(import.meta.dirname, "../src/cli/create-admin.ts");
const tsx = resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");

function run(args: string[], env: Record<string, string>, stdin?: string) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(tsx, [cli, ...args], {
      env: { ...minimalChildEnv(), BCRYPT_ROUNDS: "4", LOG_LEVEL: "silent", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.stdin.end(stdin ?? "");
    child.on("exit", (code) => done({ code, out }));
  });
}

describe("npm run admin:create", () => {
  let target: { env: Record<string, string>; open: () => ReturnType<typeof createDatabase>; cleanup: () => Promise<void> };
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    if (testEnv.databaseUrl) {
      testDb = await createTestDatabase();
      await testDb.handle.close();
      const url = testDb.url!;
      target = { env: { DATABASE_URL: url }, open: () => createDatabase({ url }), cleanup: () => testDb!.destroy().catch(() => {}) };
    } else {
      const dir = await mkdtemp(join(tmpdir(), "va-cli-"));
      target = {
        env: { DATA_DIR: dir },
        open: () => createDatabase({ dataDir: join(dir, "pglite") }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    }
  });
  afterAll(() => target?.cleanup());

  const findUser = async (email: string) => {
    const db = await target.open();
    try {
      return (await db.db.select().from(users).where(eq(users.email, email)))[0];
    } finally {
      await db.close();
    }
  };

  it("creates an admin with the password from stdin, never from argv", async () => {
    const { code, out } = await run(["--email", " Chief@Example.COM "], target.env, "stdin-password-1\n");
    expect(out).toContain("created admin chief@example.com");
    expect(code).toBe(0);
    const row = await findUser("chief@example.com");
    expect(row).toMatchObject({ isAdmin: true, isActive: true });
    expect(await createPasswordHasher(4).verify("stdin-password-1", row!.hashedPassword)).toBe(true);
  });

  it("takes ADMIN_PASSWORD from the environment", async () => {
    const { code } = await run(["--email", "env-admin@example.com"], { ...target.env, ADMIN_PASSWORD: "env-password-1" });
    expect(code).toBe(0);
    const row = await findUser("env-admin@example.com");
    expect(await createPasswordHasher(4).verify("env-password-1", row!.hashedPassword)).toBe(true);
  });

  it("refuses weak or over-long passwords and bad emails with the registration rules", async () => {
    expect((await run(["--email", "weak@example.com"], target.env, "short\n")).code).toBe(1);
    expect((await run(["--email", "long@example.com"], target.env, `${"x".repeat(73)}\n`)).code).toBe(1);
    expect((await run(["--email", "not-an-email"], target.env, "good-password\n")).code).toBe(1);
    expect((await run([], target.env, "good-password\n")).code).toBe(1);
    expect(await findUser("weak@example.com")).toBeUndefined();
  });

  it("promotes an existing user and leaves their password alone", async () => {
    await run(["--email", "promote-me@example.com"], target.env, "first-password\n");
    const db = await target.open();
    await db.db.update(users).set({ isAdmin: false, isActive: false }).where(eq(users.email, "promote-me@example.com"));
    await db.close();
    const { code, out } = await run(["--email", "promote-me@example.com"], target.env);
    expect(code).toBe(0);
    expect(out).toContain("promoted");
    const row = await findUser("promote-me@example.com");
    expect(row).toMatchObject({ isAdmin: true, isActive: true });
    expect(await createPasswordHasher(4).verify("first-password", row!.hashedPassword)).toBe(true);
  });

  it("with Nextcloud configured, queues the new admin and a reactivating promotion in the same transaction", async () => {
    // The CLI never calls Nextcloud; the running servers' workers pick the rows up.
    const nextcloud = { NEXTCLOUD_URL: "http://127.0.0.1:9", NEXTCLOUD_ADMIN_USER: "admin", NEXTCLOUD_ADMIN_PASSWORD: "unused-here" };
    const rowFor = async (email: string) => {
      const db = await target.open();
      try {
        const [user] = await db.db.select().from(users).where(eq(users.email, email));
        return user ? (await db.db.select().from(nextcloudProvisioning).where(eq(nextcloudProvisioning.userId, user.id)))[0] : undefined;
      } finally {
        await db.close();
      }
    };
    expect((await run(["--email", "nc-admin@example.com"], { ...target.env, ...nextcloud }, "nc-admin-password\n")).code).toBe(0);
    expect(await rowFor("nc-admin@example.com")).toMatchObject({ state: "pending", wantEnabled: true });

    const db = await target.open();
    await db.db.update(nextcloudProvisioning).set({ state: "provisioned", wantEnabled: false });
    await db.db.update(users).set({ isAdmin: false, isActive: false }).where(eq(users.email, "nc-admin@example.com"));
    await db.close();
    expect((await run(["--email", "nc-admin@example.com"], { ...target.env, ...nextcloud })).code).toBe(0);
    expect(await rowFor("nc-admin@example.com")).toMatchObject({ state: "pending", wantEnabled: true });
  });
});
