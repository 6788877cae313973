import { createHash } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import { loginFailures, type Database } from "@voiceassist/db";

/** The contract's per-account budget: 20 failed logins within an hour lock the account until the hour is over. */
export const ACCOUNT_LOCK = { failures: 20, windowSeconds: 3600 } as const;

/** How an email keys its failure count (a hash, so no address is stored). */
export const emailHash = (email: string) => createHash("sha256").update(email).digest("hex");

/** Seconds until `email` may try again, or 0 when it is not locked. */
export async function accountLockedFor(db: Database, email: string): Promise<number> {
  const [row] = await db
    .select({
      failures: loginFailures.failures,
      secondsLeft: sql<number>`ceil(extract(epoch from (${loginFailures.windowStartedAt} + make_interval(secs => ${ACCOUNT_LOCK.windowSeconds}) - now())))::int`,
    })
    .from(loginFailures)
    .where(eq(loginFailures.emailHash, emailHash(email)));
  if (!row || row.secondsLeft <= 0 || row.failures < ACCOUNT_LOCK.failures) return 0;
  return row.secondsLeft;
}

/** Counts one failed login for `email` in one atomic upsert (a window older than the hour starts over). */
export async function recordLoginFailure(db: Database, email: string): Promise<void> {
  const expired = sql`${loginFailures.windowStartedAt} <= now() - make_interval(secs => ${ACCOUNT_LOCK.windowSeconds})`;
  await db
    .insert(loginFailures)
    .values({ emailHash: emailHash(email), failures: 1 })
    .onConflictDoUpdate({
      target: loginFailures.emailHash,
      set: {
        failures: sql`case when ${expired} then 1 else ${loginFailures.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${loginFailures.windowStartedAt} end`,
      },
    });
}

/** Lifts the lock (a password reset, or an admin's). */
export async function clearLoginFailures(db: Database, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.emailHash, emailHash(email)));
}
