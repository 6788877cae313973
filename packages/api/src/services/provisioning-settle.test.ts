import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nextcloudProvisioning, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import { claimDueJobs, requestProvisioning, settleJob } from "./provisioning-queue";

/**
 * The provisioning test's flake: a worker still busy with a job settled it as
 * "provisioned" after the row had been marked failed. A settle now lands only
 * on the pending row it leased, so whatever was written meanwhile stands.
 */
describe("settleJob", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.destroy());

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])(
    "never overwrites a row settled while the job ran (round %i)",
    async (round) => {
      const { db } = database.handle;
      const [user] = await db
        .insert(users)
        .values({ email: `settle-${round}@example.com`, hashedPassword: "x" })
        .returning({ id: users.id });
      await requestProvisioning(db, user!.id, true);
      const [job] = (await claimDueJobs(db, 100, 60_000)).filter((j) => j.userId === user!.id);
      expect(job).toBeDefined();

      // Meanwhile the row is marked failed (the test's simulated permanent refusal).
      await db
        .update(nextcloudProvisioning)
        .set({ state: "failed", lastError: "invalid_input: simulated" })
        .where(eq(nextcloudProvisioning.userId, user!.id));
      await settleJob(db, job!, round % 2 ? { ok: true } : { ok: false, error: "network: late", retryInMs: 50 });

      const [row] = await db.select().from(nextcloudProvisioning).where(eq(nextcloudProvisioning.userId, user!.id));
      expect(row).toMatchObject({ state: "failed", lastError: "invalid_input: simulated" });
    },
  );

  it("still settles the pending row it leased", async () => {
    const { db } = database.handle;
    const [user] = await db.insert(users).values({ email: "settle-ok@example.com", hashedPassword: "x" }).returning({ id: users.id });
    await requestProvisioning(db, user!.id, true);
    const [job] = (await claimDueJobs(db, 100, 60_000)).filter((j) => j.userId === user!.id);
    await settleJob(db, job!, { ok: true });
    const [row] = await db.select().from(nextcloudProvisioning).where(eq(nextcloudProvisioning.userId, user!.id));
    expect(row).toMatchObject({ state: "provisioned", lockedUntil: null });
  });
});
