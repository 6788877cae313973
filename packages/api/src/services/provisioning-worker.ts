import type { Database } from "@voiceassist/db";
import { NextcloudError } from "@voiceassist/nextcloud";

import type { Logger } from "../context";
import { breakerReason, createNextcloudBreaker, THROTTLED_BACKOFF_MS, type NextcloudBreaker } from "./nextcloud-breaker";
import {
  backfillProvisioning,
  claimDueJobs,
  postponeJob,
  requeueTransientFailures,
  settleJob,
  type ClaimedJob,
  type JobOutcome,
} from "./provisioning-queue";
import { syncAccount, type ProvisioningTarget } from "./provisioning-sync";
import { exponentialBackoff, startPollingLoop } from "./polling-loop";

export type { ProvisioningTarget } from "./provisioning-sync";

export interface WorkerOptions {
  db: Database;
  nextcloud: ProvisioningTarget;
  logger: Logger;
  pollMs: number;
  /** First retry delay; doubles per attempt up to an hour, and retries never stop for transient causes. */
  backoffMs: number;
  /** Shared with readiness: a refused login or brute-force answer pauses every call. */
  breaker?: NextcloudBreaker;
  batchSize?: number;
  leaseMs?: number;
}

// Answers that will not change on retry: retrying them only hides the problem.
const PERMANENT = new Set(["invalid_input", "password_policy", "forbidden", "precondition_failed"]);

/** Permanent refusals fail the row; everything else (network, 5xx, 429, maintenance, 997) retries forever. */
export function outcomeOf(job: Pick<ClaimedJob, "attempts">, error: unknown, backoffMs: number, breaker?: NextcloudBreaker): JobOutcome {
  const kind = error instanceof NextcloudError ? error.kind : "internal";
  const message = error instanceof NextcloudError ? `${kind}: ${error.message}` : "internal error";
  if (PERMANENT.has(kind)) return { ok: false, error: message, retryInMs: null };
  const open = breaker?.status();
  if (breakerReason(error) && open?.state === "open")
    return { ok: false, error: message, retryInMs: Math.max(0, open.retryAt.getTime() - Date.now()) };
  if (kind === "throttled") return { ok: false, error: message, retryInMs: THROTTLED_BACKOFF_MS };
  return { ok: false, error: message, retryInMs: exponentialBackoff(job.attempts, backoffMs) };
}

export function startProvisioningWorker(options: WorkerOptions) {
  const { db, nextcloud, logger, batchSize = 10, leaseMs = 60_000 } = options;
  const breaker = options.breaker ?? createNextcloudBreaker();

  /** Drains one batch of due jobs; returns how many were handled. */
  async function runOnce(): Promise<number> {
    if (!(await breaker.admit(() => nextcloud.checkCredentials()))) return 0;
    const jobs = await claimDueJobs(db, batchSize, leaseMs);
    for (const [i, job] of jobs.entries()) {
      try {
        await syncAccount(nextcloud, job);
        await settleJob(db, job, { ok: true });
      } catch (error) {
        const tripped = breaker.observe(error);
        const outcome = outcomeOf(job, error, options.backoffMs, breaker);
        logger.warn({ userId: job.userId, reason: outcome.ok ? "" : outcome.error }, "nextcloud provisioning failed");
        await settleJob(db, job, outcome);
        if (tripped) {
          // No more logins until the breaker's re-check: hand the rest of the batch back untouched.
          const status = breaker.status();
          const waitMs = status.state === "open" ? Math.max(0, status.retryAt.getTime() - Date.now()) : 0;
          for (const rest of jobs.slice(i + 1)) await postponeJob(db, rest, waitMs);
          logger.error({ reason: outcome.ok ? "" : outcome.error }, "nextcloud calls paused (circuit breaker open)");
          return 0;
        }
      }
    }
    return jobs.length;
  }

  const loop = startPollingLoop({
    runOnce,
    batchSize,
    pollMs: options.pollMs,
    logger,
    name: "provisioning",
    start: () => Promise.all([backfillProvisioning(db), requeueTransientFailures(db, [...PERMANENT])]),
  });

  return {
    runOnce,
    breaker,
    /** Stops polling and waits for the batch in progress. */
    stop: loop.stop,
  };
}
