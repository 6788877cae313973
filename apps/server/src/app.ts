import Fastify, { LogController, type FastifyBaseLogger } from "fastify";

import type { ApiDeps } from "@voiceassist/api";

import type { Config } from "./config";
import { httpTimeouts } from "./http-timeouts";
import type { AppLogger } from "./logger";
import { registerCors } from "./plugins/cors";
import { registerDevMailbox } from "./plugins/dev-mailbox";
import { clientErrorHandler } from "./plugins/error-envelope";
import { errorEnvelopes, frameworkErrors } from "./plugins/errors";
import { forbiddenKeys } from "./plugins/forbidden-keys";
import { trackInFlight } from "./plugins/in-flight";
import { registerOidc } from "./plugins/oidc";
import { registerOpenApi } from "./plugins/openapi";
import { genRequestId, requestIdHeader } from "./plugins/request-id";
import { requestLog } from "./plugins/request-log";
import { registerSecurityHeaders } from "./plugins/security-headers";
import { registerTrpc, type TrpcMountOptions } from "./plugins/trpc";

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuildAppOptions {
  config: Config;
  deps: ApiDeps;
  logger: AppLogger;
  /** How /trpc is mounted; tests compare its query fast path with resolveResponse. */
  trpc?: TrpcMountOptions;
}

/** Builds a ready Fastify instance; it never listens (the entry point and tests do). */
export async function buildApp({ config, deps, logger, trpc }: BuildAppOptions) {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by plugins/request-log.ts.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: genRequestId,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustProxySetting(config.TRUST_PROXY),
    return503OnClosing: true,
    forceCloseConnections: "idle",
    ...httpTimeouts(config),
    routerOptions: { maxParamLength: 5000 },
    frameworkErrors,
    clientErrorHandler,
  });
  trackInFlight(app);
  requestIdHeader(app);
  requestLog(app);
  errorEnvelopes(app);
  registerSecurityHeaders(app);
  forbiddenKeys(app);
  await registerCors(app, config.CORS_ORIGINS);
  await registerTrpc(app, deps, trpc);
  await registerOpenApi(app, { deps, publicUrl: config.PUBLIC_URL });
  await registerOidc(app, deps, config.OIDC_ISSUER, config.WEB_URL);
  if (config.NODE_ENV !== "production") registerDevMailbox(app, deps.db);
  await app.ready();
  return app;
}

/** A hop count trusts that many proxies nearest to us, as Fastify's own number setting does. */
function trustProxySetting(setting: Config["TRUST_PROXY"]) {
  if (typeof setting !== "number") return setting;
  return (_address: string, hop: number) => hop < setting;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
