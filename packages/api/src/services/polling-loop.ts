import { safeErrorMessage } from "@voiceassist/db";

import type { Logger } from "../context";

const MAX_BACKOFF_MS = 3600_000;

/** Retry delay after `attempts` failures: `baseMs` doubling per attempt, at most an hour. */
export function exponentialBackoff(attempts: number, baseMs: number, maxMs = MAX_BACKOFF_MS): number {
  return Math.min(baseMs * 2 ** Math.min(Math.max(attempts, 0), 20), maxMs);
}

export interface PollingLoopOptions {
  /** Drains one batch; returns how many items it handled. */
  runOnce(): Promise<number>;
  /** A full batch means more may be due: the loop runs again at once. */
  batchSize: number;
  pollMs: number;
  logger: Logger;
  /** For the log line when a tick fails. */
  name: string;
  /** Runs once before the first tick (e.g. a backfill); a failure is logged, not fatal. */
  start?: () => Promise<unknown>;
}

/**
 * The loop behind every queue worker: ticks never overlap (a slow batch
 * only delays the next one), a full batch runs again at once, `wake()` asks
 * for a tick now (work was just queued here), and `stop()` waits for the
 * batch in progress.
 */
export function startPollingLoop(options: PollingLoopOptions) {
  const { runOnce, batchSize, logger, name } = options;
  let stopped = false;
  let queued = false;
  let running: Promise<unknown> = (options.start?.() ?? Promise.resolve()).catch((error: unknown) =>
    logger.warn({ reason: safeErrorMessage(error) }, `${name} start failed`),
  );

  const tick = () => {
    // One waiting tick is enough: it will see everything due by the time it runs.
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      if (stopped) return;
      try {
        while ((await runOnce()) === batchSize && !stopped);
      } catch (error) {
        logger.warn({ reason: safeErrorMessage(error) }, `${name} tick failed`);
      }
    });
  };
  const timer = setInterval(tick, options.pollMs);
  timer.unref();

  return {
    wake: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
