import { createClient } from "redis";

import type { Logger } from "@voiceassist/api";

function makeClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
  });
}

export type RedisClient = ReturnType<typeof makeClient>;

/**
 * A Redis client that never makes callers wait on a dead server: commands
 * fail fast while disconnected (no offline queue) and it keeps reconnecting
 * in the background, so the shared limiter comes back without a restart.
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client = makeClient(url);
  let reportedDown = false;
  client.on("error", (error: Error) => {
    if (reportedDown) return;
    reportedDown = true;
    logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, "redis unavailable");
  });
  client.on("ready", () => {
    if (reportedDown) logger.info({}, "redis reconnected");
    reportedDown = false;
  });
  // Start-up neither fails nor hangs when Redis is down: readiness reports
  // it, limits fall back, and the client keeps reconnecting on its own.
  const connected = client.connect().then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  return client;
}
