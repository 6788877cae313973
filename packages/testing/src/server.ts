import { randomBytes } from "node:crypto";

import type { DestinationStream } from "pino";

import { createClient, type ClientOptions } from "@voiceassist/client";
import { buildApp, createLogger, createServerDeps, loadConfig, type App, type Config, type ServerDeps } from "@voiceassist/server";

import { createTestDatabase, type TestDatabase } from "./database";
import { testEnv } from "./env";

export interface TestServer {
  app: App;
  url: string;
  trpcUrl: string;
  config: Config;
  deps: ServerDeps;
  database: TestDatabase;
  /** A typed client for this server; pass a token getter to call protected procedures. */
  client(options?: Partial<ClientOptions>): ReturnType<typeof createClient>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string | undefined>;
  /** Share a database between instances (two-instance tests); otherwise each server gets a fresh one. */
  database?: TestDatabase;
  /** Share rate-limit keys between instances; otherwise each server gets its own prefix. */
  rateLimitPrefix?: string;
  /** Where log lines go (tests that read the logs); stdout otherwise. */
  logDestination?: DestinationStream;
  /** Listen on this port instead of an ephemeral one (a test that must know its URL before start, e.g. an OIDC issuer). */
  port?: number;
}

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256!!";

/**
 * The real server (same buildApp and deps as production) on an ephemeral
 * port, with its own fresh database and, when REDIS_URL is set, the real
 * Redis under a key prefix of its own.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig(
    {
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: testEnv.logLevel,
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_ROUNDS: "4",
      REDIS_URL: testEnv.redisUrl,
      // Tests stand behind a "proxy" on loopback so each simulated client gets its own IP (and budget).
      TRUST_PROXY: "127.0.0.1",
      // Tests that flip a dependency and check readiness at once must see a fresh round.
      READINESS_CACHE_MS: "0",
      ...options.env,
    },
    process.cwd(),
  );
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const deps = await createServerDeps(config, logger, {
    database: database.handle,
    rateLimitPrefix: options.rateLimitPrefix ?? `va-test:${randomBytes(6).toString("hex")}`,
  });
  const app = await buildApp({ config, deps: deps.api, logger });
  const address = await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const trpcUrl = `${address}/trpc`;
  return {
    app,
    url: address,
    trpcUrl,
    config,
    deps,
    database,
    client: (clientOptions = {}) => createClient({ url: trpcUrl, ...clientOptions }),
    async close() {
      await app.close();
      await deps.close();
      if (!options.database) await database.destroy();
    },
  };
}
