import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { clientAddress } from "../client-ip";
import type { AppLogger } from "../logger";
import { serverRequestId } from "./request-id";

/** One line per request: method, path (no query string: it may carry input), status, duration. */
export function requestLog(app: FastifyInstance) {
  app.addHook("onResponse", (request, reply, done) => {
    // Nothing to build when info lines are off (LOG_LEVEL=warn in production-like runs).
    if ((request.log as AppLogger).isLevelEnabled("info")) logRequest(request, reply);
    done();
  });
}

function logRequest(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split("?", 1)[0];
  const ownId = serverRequestId(request.raw);
  request.log.info(
    {
      method: request.method,
      path,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      // Canonical, so a forged X-Forwarded-For cannot put arbitrary text here.
      ip: clientAddress(request.ip, request.socket.remoteAddress).ip,
      // The client chose request.id: keep the server's own next to it.
      ...(ownId !== request.id ? { serverRequestId: ownId } : {}),
    },
    "request",
  );
}
