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
  // Callback-style hooks: an async hook costs a promise per request, and these run on every one.
  app.addHook("onRequest", (request, reply, done) => {
    if (draining) {
      reply.header("connection", "close");
      reply.status(503).send(errorEnvelope(503, "Server is shutting down", request.id));
      return;
    }
    requests.add(request);
    done();
  });
  app.addHook("onResponse", (request, _reply, done) => {
    requests.delete(request);
    done();
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
