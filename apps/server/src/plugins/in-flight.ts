import type { FastifyInstance, FastifyRequest } from "fastify";

import { errorEnvelope } from "./error-envelope";

declare module "fastify" {
  interface FastifyInstance {
    /** Requests between arrival and response right now. */
    inFlight(): number;
    /** From now on, new requests get 503 and every response closes its connection. */
    startDraining(): void;
  }
}

/**
 * Counts requests in flight and, once draining, turns new ones away with 503
 * (and `connection: close`) so shutdown only waits for what had started.
 */
export function trackInFlight(app: FastifyInstance) {
  const inFlight = new Set<FastifyRequest>();
  let draining = false;
  app.addHook("onRequest", async (request, reply) => {
    if (draining) {
      reply.header("connection", "close");
      return reply.status(503).send(errorEnvelope(503, "Server is shutting down", request.id));
    }
    inFlight.add(request);
  });
  app.addHook("onResponse", async (request) => {
    inFlight.delete(request);
  });
  app.addHook("onRequestAbort", (request, done) => {
    inFlight.delete(request);
    done();
  });
  app.decorate("inFlight", () => inFlight.size);
  app.decorate("startDraining", () => {
    draining = true;
  });
}
