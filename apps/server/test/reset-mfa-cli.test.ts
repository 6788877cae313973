import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAdmin, createPasswordHasher } from "@voiceassist/api";
import { auditEvents, createDatabase, mailOutbox, mfaBackupCodes, mfaTotp, sessions, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { minimalChildEnv, testEnv } from "@voiceassist/testing/env";

const cli = resolve(import.meta.dirname, "../src/cli/reset-mfa.ts");
const tsx = resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(tsx, [cli, ...args], {
      env: { ...minimalChildEnv(), LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => done({ code, out }));
  });
}

// Each case starts a tsx process that opens and migrates the database: give it time on a busy machine.
describe("npm run admin:reset-mfa", { timeout: 120_000 }, () => {
  let target: { env: Record<string, string>; open: () => ReturnType<typeof createDatabase>; cleanup: () => Promise<void> };
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    if (testEnv.databaseUrl) {
      testDb = await createTestDatabase();
      await testDb.handle.close();
      const url = testDb.url as string;
      target = { env: { DATABASE_URL: url }, open: () => createDatabase({ url }), cleanup: () => testDb!.destroy().catch(() => {}) };
    } else {
      const dir = await mkdtemp(join(tmpdir(), "va-reset-mfa-"));
      target = {
        env: { DATA_DIR: dir },
        open: () => createDatabase({ dataDir: join(dir, "pglite") }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
      // Migrate once through the CLI's own path (an unknown email changes nothing).
      await run(["--email", "nobody@example.com"], target.env);
    }
  }, 120_000);
  afterAll(() => target?.cleanup());

  it("removes the last admin's factors, ends their sessions and audits it without an actor", async () => {
    const db = await target.open();
    let adminId: string;
    try {
      const admin = await createAdmin(
        { db: db.db, passwords: createPasswordHasher(4), nextcloudProvisioning: false },
        { email: "only-admin@example.com", password: "only-admin-pw-1" },
      );
      adminId = admin.id;
      await db.db.update(users).set({ mfaEnabled: true }).where(eq(users.id, adminId));
      await db.db.insert(mfaTotp).values({ userId: adminId, secretCiphertext: "sealed", secretKeyVersion: 1, confirmedAt: new Date() });
      await db.db.insert(mfaBackupCodes).values({ userId: adminId, codeHash: "0".repeat(64) });
      await db.db.insert(sessions).values({ userId: adminId, refreshJtiHash: "x", expiresAt: new Date(Date.now() + 3600_000) });
    } finally {
      await db.close();
    }

    const { code, out } = await run(["--email", " Only-Admin@Example.com "], target.env);
    expect(out).toContain("reset the second factors of only-admin@example.com");
    expect(code).toBe(0);

    const after = await target.open();
    try {
      expect((await after.db.select({ mfaEnabled: users.mfaEnabled }).from(users).where(eq(users.id, adminId)))[0]?.mfaEnabled).toBe(false);
      expect(await after.db.select().from(mfaTotp).where(eq(mfaTotp.userId, adminId))).toEqual([]);
      expect(await after.db.select().from(mfaBackupCodes).where(eq(mfaBackupCodes.userId, adminId))).toEqual([]);
      expect(
        await after.db
          .select()
          .from(sessions)
          .where(and(eq(sessions.userId, adminId), isNull(sessions.revokedAt))),
      ).toEqual([]);
      const events = await after.db.select().from(auditEvents).where(eq(auditEvents.action, "admin.user.reset_mfa"));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actorId: null,
        targetUserId: adminId,
        detail: expect.objectContaining({ via: "cli", totp: true }),
      });
      // The user is told: the notice waits in the outbox for the server's mail worker.
      const mails = await after.db.select().from(mailOutbox).where(eq(mailOutbox.userId, adminId));
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ template: "mfa_reset", toAddress: "only-admin@example.com", state: "pending" });
      expect(mails[0]?.textBody).toContain("from the server's command line");
    } finally {
      await after.close();
    }
  });

  it("refuses a bad or unknown email with exit code 1", async () => {
    expect((await run(["--email", "not-an-email"], target.env)).code).toBe(1);
    expect((await run([], target.env)).code).toBe(1);
    const unknown = await run(["--email", "ghost@example.com"], target.env);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("no account with the email ghost@example.com");
  });
});
