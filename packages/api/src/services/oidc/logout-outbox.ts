import { randomBytes } from "node:crypto";

import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";

import { oidcClients, oidcLogoutOutbox, oidcProviderRecords, safeErrorMessage, type Database } from "@voiceassist/db";

import type { Logger } from "../../context";
import { exponentialBackoff, startPollingLoop } from "../polling-loop";
import type { OidcRuntime } from "./runtime";

/** What oidc-provider keeps per client in a session record: the `sid` that client's ID tokens carry. */
interface SessionAuthorizations {
  authorizations?: Record<string, { sid?: string }>;
}

/**
 * The user's VoiceAssist sessions are ending (logout everywhere,
 * deactivation, deletion, password reset or change, second-factor changes,
 * an admin's "sign out everywhere"): in the caller's transaction, queue a
 * back-channel logout for every client that registered a URI and that the
 * user signed in to, and delete the user's provider sessions, grants, codes
 * and tokens, so nothing issued under the old sign-in keeps working.
 */
export async function endSingleSignOn(tx: Database, userId: string): Promise<number> {
  const records = await tx
    .select({ payload: oidcProviderRecords.payload })
    .from(oidcProviderRecords)
    .where(and(eq(oidcProviderRecords.model, "Session"), eq(oidcProviderRecords.accountId, userId)));
  const wanted = records.flatMap(({ payload }) =>
    Object.entries((payload as SessionAuthorizations).authorizations ?? {}).map(([clientId, { sid }]) => ({ clientId, sid: sid ?? null })),
  );
  let queued = 0;
  if (wanted.length > 0) {
    const listening = await tx
      .select({ clientId: oidcClients.clientId })
      .from(oidcClients)
      .where(and(inArray(oidcClients.clientId, [...new Set(wanted.map((w) => w.clientId))]), isNotNull(oidcClients.backchannelLogoutUri)));
    const ids = new Set(listening.map((row) => row.clientId));
    const rows = wanted.filter((w) => ids.has(w.clientId)).map((w) => ({ ...w, userId, jti: randomBytes(16).toString("base64url") }));
    if (rows.length > 0) await tx.insert(oidcLogoutOutbox).values(rows);
    queued = rows.length;
  }
  await tx.delete(oidcProviderRecords).where(eq(oidcProviderRecords.accountId, userId));
  return queued;
}

/** Settled deliveries are kept this long (to look into a failure), then swept. */
const SETTLED_KEEP_DAYS = 30;

/** Deletes deliveries settled (sent or given up) more than SETTLED_KEEP_DAYS ago; returns how many. */
export async function deleteSettledLogouts(db: Database): Promise<number> {
  const deleted = await db
    .delete(oidcLogoutOutbox)
    .where(
      and(
        inArray(oidcLogoutOutbox.state, ["sent", "failed"]),
        lte(oidcLogoutOutbox.createdAt, sql`now() - make_interval(days => ${SETTLED_KEEP_DAYS})`),
      ),
    )
    .returning({ id: oidcLogoutOutbox.id });
  return deleted.length;
}

export interface LogoutWorkerOptions {
  db: Database;
  oidc: OidcRuntime;
  logger: Logger;
  pollMs: number;
  /** First retry delay; doubles per attempt, at most an hour. */
  backoffMs: number;
  /** A delivery still failing after this many attempts is given up (state failed). */
  maxAttempts?: number;
  batchSize?: number;
  leaseMs?: number;
  timeoutMs?: number;
}

type Leased = { id: string; clientId: string; userId: string | null; sid: string | null; jti: string; attempts: number };
type Outcome = { state: "sent" } | { state: "failed"; reason: string } | { state: "retry"; reason: string; retryInMs: number };

/**
 * Delivers the queued logout tokens (OpenID Back-Channel Logout 1.0): a
 * token signed with the provider's current key, in the library's own
 * format, POSTed form-encoded; 200 or 204 is delivered, anything else
 * retries with backoff. Rows are leased like the mail outbox's, so any
 * instance may deliver and none twice at once.
 */
export function startLogoutWorker(options: LogoutWorkerOptions) {
  const { db, oidc, logger, batchSize = 20, leaseMs = 60_000, maxAttempts = 12, timeoutMs = 5000 } = options;
  const o = oidcLogoutOutbox;

  async function lease(): Promise<Leased[]> {
    const due = db
      .select({ id: o.id })
      .from(o)
      .where(and(eq(o.state, "pending"), lte(o.nextAttemptAt, sql`now()`), or(isNull(o.lockedUntil), lte(o.lockedUntil, sql`now()`))))
      .orderBy(o.nextAttemptAt)
      .limit(batchSize)
      .for("update", { skipLocked: true });
    return db
      .update(o)
      .set({ lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: sql`${o.attempts} + 1` })
      .where(inArray(o.id, due))
      .returning({ id: o.id, clientId: o.clientId, userId: o.userId, sid: o.sid, jti: o.jti, attempts: o.attempts });
  }

  async function deliver(row: Leased): Promise<Outcome> {
    if (!row.userId) return { state: "failed", reason: "user erased" };
    const provider = await oidc.provider();
    const client = await provider.Client.find(row.clientId);
    const uri = client?.backchannelLogoutUri;
    if (!client || !uri) return { state: "failed", reason: "client removed or no longer listening" };
    // Built as the library builds its own logout tokens (Client#backchannelLogout), with our jti kept across retries.
    const token = new provider.IdToken({ sub: row.userId }, { client, ctx: undefined } as never) as unknown as {
      mask: unknown;
      set(name: string, value: unknown): void;
      issue(options: { use: string }): Promise<string>;
    };
    token.mask = { sub: null };
    token.set("events", { "http://schemas.openid.net/event/backchannel-logout": {} });
    token.set("jti", row.jti);
    if (row.sid) token.set("sid", row.sid);
    const logoutToken = await token.issue({ use: "logout" });
    try {
      const response = await fetch(uri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ logout_token: logoutToken }).toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.status === 200 || response.status === 204) return { state: "sent" };
      return retryOrFail(row, `HTTP ${response.status}`);
    } catch (error) {
      return retryOrFail(row, safeErrorMessage(error));
    }
  }

  function retryOrFail(row: Leased, reason: string): Outcome {
    if (row.attempts >= maxAttempts) return { state: "failed", reason };
    return { state: "retry", reason, retryInMs: exponentialBackoff(row.attempts - 1, options.backoffMs) };
  }

  async function settle(row: Leased, outcome: Outcome) {
    const ours = and(eq(o.id, row.id), eq(o.state, "pending"), eq(o.attempts, row.attempts));
    if (outcome.state === "sent") {
      await db.update(o).set({ state: "sent", sentAt: sql`now()`, lockedUntil: null, lastError: null }).where(ours);
      return;
    }
    // The reason names a status or a network error, never the URI (it may carry a query) or the token.
    const lastError = outcome.reason.slice(0, 500);
    logger.warn(
      { outboxId: row.id, clientId: row.clientId, attempt: row.attempts, reason: lastError },
      "back-channel logout not delivered",
    );
    if (outcome.state === "failed") {
      await db.update(o).set({ state: "failed", lockedUntil: null, lastError }).where(ours);
      return;
    }
    await db
      .update(o)
      .set({ lockedUntil: null, lastError, nextAttemptAt: sql`now() + ${`${outcome.retryInMs} milliseconds`}::interval` })
      .where(ours);
  }

  async function runOnce(): Promise<number> {
    const rows = await lease();
    await Promise.all(
      rows.map(async (row) => {
        let outcome: Outcome;
        try {
          outcome = await deliver(row);
        } catch (error) {
          outcome = retryOrFail(row, safeErrorMessage(error));
        }
        await settle(row, outcome);
      }),
    );
    return rows.length;
  }

  const loop = startPollingLoop({ runOnce, batchSize, pollMs: options.pollMs, logger, name: "oidc logout outbox" });
  loop.wake();
  return { runOnce, wake: loop.wake, stop: loop.stop };
}
