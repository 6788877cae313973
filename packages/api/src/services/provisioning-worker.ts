import { randomBytes } from "node:crypto";

import { safeErrorMessage, type Database } from "@voiceassist/db";
import { NextcloudError, type NextcloudClient } from "@voiceassist/nextcloud";

import type { Logger } from "../context";
import { backfillProvisioning, claimDueJobs, settleJob, type ClaimedJob, type JobOutcome } from "./provisioning-queue";

export type ProvisioningTarget = Pick<NextcloudClient, "ensureUser" | "enableUser" | "disableUser" | "userExists">;

export interface WorkerOptions {
  db: Database;
  nextcloud: ProvisioningTarget;
  logger: Logger;
  pollMs: number;
  /** First retry delay; doubles per attempt up to an hour. */
  backoffMs: number;
  maxAttempts?: number;
  batchSize?: number;
  leaseMs?: number;
}

// Answers that will not change on retry: retrying them only hides the problem.
const PERMANENT = new Set(["invalid_input", "password_policy", "forbidden", "precondition_failed"]);
const MAX_BACKOFF_MS = 3600_000;

/** A strong random password nobody knows: users set their own through Nextcloud's mail. */
const throwawayPassword = () => `${randomBytes(24).toString("base64url")}-Aa1!`;

async function syncOne(nextcloud: ProvisioningTarget, job: ClaimedJob) {
  if (job.wantEnabled) {
    const { created } = await nextcloud.ensureUser({
      userId: job.userId,
      password: throwawayPassword(),
      email: job.email,
      displayName: job.fullName ?? job.email,
    });
    if (!created) await nextcloud.enableUser(job.userId); // it may have been disabled earlier
  } else if (await nextcloud.userExists(job.userId)) {
    await nextcloud.disableUser(job.userId);
  }
}

export function startProvisioningWorker(options: WorkerOptions) {
  const { db, nextcloud, logger, maxAttempts = 10, batchSize = 10, leaseMs = 60_000 } = options;

  const outcomeOf = (job: ClaimedJob, error: unknown): JobOutcome => {
    const kind = error instanceof NextcloudError ? error.kind : "internal";
    const message = error instanceof NextcloudError ? `${kind}: ${error.message}` : "internal error";
    const attempt = job.attempts + 1;
    if (PERMANENT.has(kind) || attempt >= maxAttempts) return { ok: false, error: message, retryInMs: null };
    return { ok: false, error: message, retryInMs: Math.min(options.backoffMs * 2 ** job.attempts, MAX_BACKOFF_MS) };
  };

  /** Drains one batch of due jobs; returns how many were handled. */
  async function runOnce(): Promise<number> {
    const jobs = await claimDueJobs(db, batchSize, leaseMs);
    for (const job of jobs) {
      try {
        await syncOne(nextcloud, job);
        await settleJob(db, job, { ok: true });
      } catch (error) {
        const outcome = outcomeOf(job, error);
        logger.warn({ userId: job.userId, reason: outcome.ok ? "" : outcome.error }, "nextcloud provisioning failed");
        await settleJob(db, job, outcome);
      }
    }
    return jobs.length;
  }

  let stopped = false;
  let running: Promise<unknown> = backfillProvisioning(db).catch((error: unknown) =>
    logger.warn({ reason: String(error) }, "provisioning backfill failed"),
  );
  const timer = setInterval(() => {
    // Ticks never overlap: a slow Nextcloud just delays the next batch.
    running = running.then(async () => {
      if (stopped) return;
      try {
        while ((await runOnce()) === batchSize && !stopped);
      } catch (error) {
        logger.warn({ reason: safeErrorMessage(error) }, "provisioning tick failed");
      }
    });
  }, options.pollMs);
  timer.unref();

  return {
    runOnce,
    /** Stops polling and waits for the batch in progress. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
