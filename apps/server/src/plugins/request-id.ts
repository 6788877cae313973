import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

import type { FastifyInstance } from "fastify";

const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

/** Echoes a well-formed incoming x-request-id, otherwise mints a UUID. */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && WELL_FORMED.test(incoming) ? incoming : randomUUID();
}

/** Every response, errors and 404s included, carries the id its log lines use. */
export function requestIdHeader(app: FastifyInstance) {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
}
