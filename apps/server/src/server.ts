import { buildApp } from "./app";
import { isClusterWorker, runPrimary } from "./cluster";
import { ConfigError, type Config } from "./config";
import { createServerDeps } from "./deps";
import { startDevChannel } from "./dev-channel";
import { loadServerConfig } from "./env-file";
import { bootstrapFirstAdmin } from "./first-admin";
import { createLogger } from "./logger";
import { drainAndClose } from "./shutdown";
import { safeErrorMessage } from "@voiceassist/db";

/** Longest wait for in-flight requests on shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let config: Config;
  try {
    config = loadServerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.LOG_LEVEL);
  if (config.WEB_CONCURRENCY > 1 && !isClusterWorker()) return runPrimary(config, logger);
  const deps = await createServerDeps(config, logger);
  const app = await buildApp({ config, deps: deps.api, logger });
  await bootstrapFirstAdmin(config, deps.api);
  const devChannel = await startDevChannel(config, deps.api);
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ database: config.DATABASE_URL ? "postgres" : "pglite", redis: Boolean(config.REDIS_URL) }, "voiceassist api ready");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    await devChannel?.close();
    await drainAndClose(app, SHUTDOWN_GRACE_MS);
    await deps.close();
    logger.info({}, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Failed to start:", safeErrorMessage(error));
  process.exit(1);
});
