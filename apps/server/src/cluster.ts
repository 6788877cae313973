import cluster, { type Worker } from "node:cluster";

import type { Config } from "./config";
import { openConfiguredDatabase } from "./deps";
import type { AppLogger } from "./logger";

/** A worker that dies this soon after starting is not restarted (a crash loop, e.g. a bad config). */
const MIN_WORKER_LIFE_MS = 5_000;

/**
 * The primary of `WEB_CONCURRENCY` server processes sharing one port
 * (node:cluster hands each accepted connection to a worker). It serves
 * nothing itself: it applies migrations once, forks the workers, replaces
 * one that dies, and on SIGTERM/SIGINT passes the signal on so that every
 * worker drains its own requests (shutdown.ts) before the primary exits.
 * Every worker checks sessions against the shared Postgres on every call, and
 * the background queues lease their rows (SKIP LOCKED), so no job runs twice.
 */
export async function runPrimary(config: Config, logger: AppLogger): Promise<void> {
  // Once here rather than racing in every worker (the advisory lock would serialise them anyway).
  const database = await openConfiguredDatabase(config);
  await database.close();

  let stopping = false;
  const started = new Map<Worker, number>();
  const fork = () => started.set(cluster.fork(), Date.now());
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) {
        logger.info({}, "stopped");
        process.exit(0);
      }
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "server worker exited");
    if (lived < MIN_WORKER_LIFE_MS) {
      logger.error({}, "server worker died right after starting; not restarting, stopping the others");
      stop("worker-failure", 1);
      return;
    }
    fork();
  });

  let exitCode = 0;
  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ signal: reason, workers: started.size }, "shutting down");
    if (started.size === 0) process.exit(exitCode);
    for (const worker of started.keys()) worker.process.kill("SIGTERM");
  };
  process.on("exit", () => {
    if (exitCode !== 0) process.exitCode = exitCode;
  });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  for (let i = 0; i < config.WEB_CONCURRENCY; i++) fork();
  logger.info({ workers: config.WEB_CONCURRENCY, port: config.PORT }, "voiceassist api cluster started");
}

export const isClusterWorker = () => cluster.isWorker;
