import type { FastifyInstance } from "fastify";

/** One line per request: method, path (no query string: it may carry input), status, duration. */
export function requestLog(app: FastifyInstance) {
  app.addHook("onResponse", async (request, reply) => {
    const path = request.url.split("?", 1)[0];
    request.log.info(
      {
        method: request.method,
        path,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      "request",
    );
  });
}
