import { checkReadiness, ProbeError, type Probe } from "@voiceassist/api";
import type { DatabaseHandle } from "@voiceassist/db";
import type { NextcloudClient } from "@voiceassist/nextcloud";

import type { Config } from "./config";
import type { RedisClient } from "./redis";

interface ReadinessSources {
  config: Config;
  database: DatabaseHandle;
  redis: RedisClient | null;
  nextcloud: Pick<NextcloudClient, "healthCheck"> | null;
}

const NEXTCLOUD_HINTS = { not_installed: "initializing", maintenance: "maintenance mode", needs_upgrade: "needs upgrade" };

/** Builds health.ready's probes from what is configured; unset optional services are `disabled`. */
export function createReadiness({ config, database, redis, nextcloud }: ReadinessSources) {
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
  const nextcloudProbe: Probe | null = nextcloud
    ? {
        required: false,
        run: async () => {
          const health = await nextcloud.healthCheck().catch(() => {
            throw new ProbeError("unreachable or not answering");
          });
          if (!health.healthy) throw new ProbeError(NEXTCLOUD_HINTS[health.state as keyof typeof NEXTCLOUD_HINTS] ?? health.state);
        },
      }
    : null;
  return () => checkReadiness({ postgres, redis: redisProbe, qdrant, nextcloud: nextcloudProbe });
}

async function expectOk(url: URL, signal: AbortSignal) {
  const response = await fetch(url, { signal });
  await response.body?.cancel();
  if (!response.ok) throw new ProbeError(`HTTP ${response.status}`);
}
