import type { ServerOptions } from "node:http";

import type { Config } from "./config";

/** Node checks request and header deadlines on a timer (30 s by default); tighter so a deadline is kept. */
const MAX_CHECK_INTERVAL_MS = 1000;

export interface HttpTimeouts {
  requestTimeout: number;
  connectionTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
}

/** Fastify's and Node's socket time bounds, so that slow-loris clients are cut off (F10). */
export function httpTimeouts(config: Config): HttpTimeouts {
  return {
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    http: {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: config.HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, config.HEADERS_TIMEOUT_MS),
    },
  };
}
