import type { FastifyInstance, FastifyRequest } from "fastify";

import { errorEnvelope } from "./error-envelope";

declare module "fastify" {
  interface FastifyInstance {
    /** Requests, and handler work, not finished yet. */
    inFlight(): number;
    /** Counts `work` as in flight until it settles (a handler may outlive its aborted request). */
    trackWork<T>(work: Promise<T>): Promise<T>;
    /** From now on, new requests get 503 and every response closes its connection. */
    startDraining(): void;
  }
}

/**
 * Counts requests and handler work in flight and, once draining, turns new
 * requests away with 503 (`connection: close`), so shutdown waits only for
 * what had started — including handlers whose client already hung up,
 * which must finish before the database is closed under them.
 */
export function trackInFlight(app: FastifyInstance) {
  const requests = new Set<FastifyRequest>();
  let work = 0;
  let draining = false;
  app.addHook("onRequest", async (request, reply) => {
    if (draining) {
      reply.header("connection", "close");
      return reply.status(503).send(errorEnvelope(503, "Server is shutting down", request.id));
    }
    requests.add(request);
  });
  app.addHook("onResponse", async (request) => {
    requests.delete(request);
  });
  app.addHook("onRequestAbort", (request, done) => {
    requests.delete(request);
    done();
  });
  app.decorate("inFlight", () => requests.size + work);
  app.decorate("trackWork", async <T>(promise: Promise<T>) => {
    work++;
    try {
      return await promise;
    } finally {
      work--;
    }
  });
  app.decorate("startDraining", () => {
    draining = true;
  });
}
