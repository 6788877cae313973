import { checkReadiness, nextcloudProbe, ProbeError, type NextcloudBreaker, type Probe } from "@voiceassist/api";
import type { DatabaseHandle } from "@voiceassist/db";
import type { NextcloudClient } from "@voiceassist/nextcloud";

import type { Config } from "./config";
import type { RedisClient } from "./redis";

interface ReadinessSources {
  config: Config;
  database: DatabaseHandle;
  redis: RedisClient | null;
  /** The probe's client and the breaker it shares with the provisioning worker. */
  nextcloud: { client: Pick<NextcloudClient, "healthCheck" | "checkCredentials">; breaker: NextcloudBreaker } | null;
  /** A connection check against SMTP_URL (connect, greet, authenticate); null when mail stays in the dev mailbox. */
  smtp: { check(): Promise<void> } | null;
}

/**
 * Builds health.ready's probes from what is configured; unset optional services are `disabled`.
 * health.ready is public: probe rounds are shared (see sharedReadiness), READINESS_CACHE_MS long.
 */
export function createReadiness({ config, database, redis, nextcloud, smtp }: ReadinessSources) {
  const postgres: Probe = { required: true, run: () => database.ping() };
  const redisProbe: Probe | null = redis
    ? {
        required: true,
        run: async () => {
          if (!redis.isReady) throw new ProbeError("not connected");
          await redis.ping();
        },
      }
    : null;
  const qdrant: Probe | null = config.QDRANT_URL
    ? { required: false, run: (signal) => expectOk(new URL("/readyz", config.QDRANT_URL), signal) }
    : null;
  const nextcloudCheck: Probe | null = nextcloud ? nextcloudProbe(nextcloud.client, nextcloud.breaker) : null;
  // Optional: while SMTP is down mail waits in the outbox, nothing is lost, so the API stays ready (degraded).
  const smtpCheck: Probe | null = smtp ? { required: false, run: () => smtp.check() } : null;
  const probes = { postgres, redis: redisProbe, qdrant, nextcloud: nextcloudCheck, smtp: smtpCheck };
  return sharedReadiness(() => checkReadiness(probes), config.READINESS_CACHE_MS);
}

/**
 * At most one probe round at a time: concurrent callers (a batch of 50
 * health.ready, a flood) share the in-flight round, and its outcome, ready
 * or not (a rejection is an outcome too), is reused for `cacheMs` after it
 * settles. 0 keeps only the sharing.
 */
export function sharedReadiness<T>(round: () => Promise<T>, cacheMs: number, now: () => number = () => performance.now()) {
  let inFlight: Promise<T> | undefined;
  let last: { settledAt: number; outcome: Promise<T> } | undefined;
  return (): Promise<T> => {
    if (inFlight) return inFlight;
    if (last && now() - last.settledAt < cacheMs) return last.outcome;
    const outcome = round();
    inFlight = outcome;
    const settle = () => {
      inFlight = undefined;
      last = { settledAt: now(), outcome };
    };
    outcome.then(settle, settle);
    return outcome;
  };
}

async function expectOk(url: URL, signal: AbortSignal) {
  const response = await fetch(url, { signal });
  await response.body?.cancel();
  if (!response.ok) throw new ProbeError(`HTTP ${response.status}`);
}
