import { and, eq, inArray, isNull, like, lte, not, or, sql } from "drizzle-orm";

import { nextcloudProvisioning, users, type Database } from "@voiceassist/db";

/**
 * Records that a user's Nextcloud account must be brought in line (created
 * and enabled, or disabled, with the current email and display name). Call it inside the transaction that made the
 * change, so the request is never lost and never outlives a rollback.
 */
export async function requestProvisioning(tx: Database, userId: string, wantEnabled: boolean) {
  await tx
    .insert(nextcloudProvisioning)
    .values({ userId, wantEnabled })
    .onConflictDoUpdate({
      target: nextcloudProvisioning.userId,
      set: {
        wantEnabled,
        state: "pending",
        generation: sql`${nextcloudProvisioning.generation} + 1`,
        attempts: 0,
        lastError: null,
        nextAttemptAt: sql`now()`,
        updatedAt: sql`now()`,
      },
    });
}

/** Moves every failed row back to pending, due now, as a new generation; returns how many. */
export async function requeueFailedProvisioning(tx: Database): Promise<number> {
  const p = nextcloudProvisioning;
  const rows = await tx
    .update(p)
    .set({
      state: "pending",
      generation: sql`${p.generation} + 1`,
      attempts: 0,
      lastError: null,
      nextAttemptAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(p.state, "failed"))
    .returning({ userId: p.userId });
  return rows.length;
}

/**
 * Rows failed for a cause that was never permanent (by the retry limit of older versions: network,
 * 5xx, 997…) go back to the queue at start, so a restart repairs them. Returns how many.
 */
export async function requeueTransientFailures(db: Database, permanentKinds: readonly string[]): Promise<number> {
  const p = nextcloudProvisioning;
  const permanent = or(...permanentKinds.map((kind) => like(p.lastError, `${kind}:%`)));
  const rows = await db
    .update(p)
    .set({ state: "pending", attempts: 0, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(p.state, "failed"), or(isNull(p.lastError), not(permanent ?? sql`false`))))
    .returning({ userId: p.userId });
  return rows.length;
}

/**
 * Queues every user that has no provisioning row yet (e.g. Nextcloud was configured later).
 * Open invitations wait: their account is provisioned when it is accepted.
 */
export async function backfillProvisioning(db: Database): Promise<number> {
  const rows = await db
    .insert(nextcloudProvisioning)
    .select(
      db
        .select({
          userId: users.id,
          state: sql<"pending">`'pending'`.as("state"),
          wantEnabled: users.isActive,
          generation: sql<number>`0`.as("generation"),
          attempts: sql<number>`0`.as("attempts"),
          lastError: sql<null>`null`.as("last_error"),
          nextAttemptAt: sql<Date>`now()`.as("next_attempt_at"),
          lockedUntil: sql<null>`null`.as("locked_until"),
          provisionedAt: sql<null>`null`.as("provisioned_at"),
          updatedAt: sql<Date>`now()`.as("updated_at"),
        })
        .from(users)
        .leftJoin(nextcloudProvisioning, eq(nextcloudProvisioning.userId, users.id))
        .where(and(isNull(nextcloudProvisioning.userId), isNull(users.invitedAt))),
    )
    .onConflictDoNothing()
    .returning({ userId: nextcloudProvisioning.userId });
  return rows.length;
}

export interface ClaimedJob {
  userId: string;
  wantEnabled: boolean;
  generation: number;
  attempts: number;
  email: string;
  fullName: string | null;
}

/**
 * Leases up to `limit` due jobs. SKIP LOCKED lets several instances claim
 * at once without waiting on or taking each other's rows; the lease keeps a
 * job from being taken again while its Nextcloud calls run.
 */
export async function claimDueJobs(db: Database, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  const p = nextcloudProvisioning;
  const due = db
    .select({ userId: p.userId })
    .from(p)
    .where(and(eq(p.state, "pending"), lte(p.nextAttemptAt, sql`now()`), or(isNull(p.lockedUntil), lte(p.lockedUntil, sql`now()`))))
    .orderBy(p.nextAttemptAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const leased = await db
    .update(p)
    .set({ lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(inArray(p.userId, due))
    .returning({ userId: p.userId, wantEnabled: p.wantEnabled, generation: p.generation, attempts: p.attempts });
  if (leased.length === 0) return [];
  const profiles = await db
    .select({ id: users.id, email: users.email, fullName: users.fullName })
    .from(users)
    .where(
      inArray(
        users.id,
        leased.map((job) => job.userId),
      ),
    );
  const byId = new Map(profiles.map((u) => [u.id, u]));
  return leased.flatMap((job) => {
    const profile = byId.get(job.userId);
    return profile ? [{ ...job, email: profile.email, fullName: profile.fullName }] : [];
  });
}

export type JobOutcome = { ok: true } | { ok: false; error: string; retryInMs: number | null /* null: give up (failed) */ };

/** Hands a leased job back without counting an attempt (the circuit breaker opened mid-batch). */
export async function postponeJob(db: Database, job: ClaimedJob, delayMs: number) {
  const p = nextcloudProvisioning;
  await db
    .update(p)
    .set({ lockedUntil: null, nextAttemptAt: sql`now() + ${`${delayMs} milliseconds`}::interval` })
    .where(eq(p.userId, job.userId));
}

/**
 * Settles a job; a newer request made meanwhile (another generation) keeps the row pending.
 * Only a row still pending is settled: one that someone else settled meanwhile (an operator,
 * a test) keeps what they wrote, rather than a late "provisioned" landing over it.
 */
export async function settleJob(db: Database, job: ClaimedJob, outcome: JobOutcome) {
  const p = nextcloudProvisioning;
  const sameGeneration = and(eq(p.userId, job.userId), eq(p.generation, job.generation), eq(p.state, "pending"));
  if (outcome.ok) {
    await db
      .update(p)
      .set({ state: "provisioned", lockedUntil: null, lastError: null, provisionedAt: sql`now()`, updatedAt: sql`now()` })
      .where(sameGeneration);
  } else {
    await db
      .update(p)
      .set({
        state: outcome.retryInMs === null ? "failed" : "pending",
        attempts: job.attempts + 1,
        lastError: outcome.error.slice(0, 500),
        nextAttemptAt: sql`now() + ${`${outcome.retryInMs ?? 0} milliseconds`}::interval`,
        lockedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(sameGeneration);
  }
  // Another generation arrived while we worked: release the lease so it runs soon.
  await db
    .update(p)
    .set({ lockedUntil: null })
    .where(and(eq(p.userId, job.userId), sql`${p.generation} <> ${job.generation}`));
}
