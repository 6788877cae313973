import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

import type { FastifyInstance } from "fastify";

const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The id this server minted for each request, whatever the client sent (F20).
 * A property of the request rather than a WeakMap entry: ephemerons cost the GC on every request.
 */
const SERVER_ID = Symbol("voiceassist.serverRequestId");
type Tagged = IncomingMessage & { [SERVER_ID]?: string };

/** Echoes a well-formed incoming x-request-id, otherwise mints a UUID. */
export function genRequestId(req: Tagged): string {
  const own = randomUUID();
  req[SERVER_ID] = own;
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && WELL_FORMED.test(incoming) ? incoming : own;
}

/**
 * The id the server itself gave `req`: equal to request.id unless the client
 * chose that one, so a forged or reused client id cannot blur the audit trail.
 */
export function serverRequestId(req: Tagged): string {
  req[SERVER_ID] ??= randomUUID();
  return req[SERVER_ID];
}

/** Every response, errors and 404s included, carries the id its log lines use. */
export function requestIdHeader(app: FastifyInstance) {
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
}
