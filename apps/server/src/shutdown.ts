import { Server } from "node:net";

import type { FastifyInstance } from "fastify";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Listening goes on at least this long after the signal, so queued connections are answered, not reset. */
const MIN_DRAIN_MS = 300;

/**
 * Graceful stop without dropping accepted connections:
 * 1. new requests get 503 + `connection: close`, while requests that had
 *    started run to completion (bounded by `graceMs`); the listener stays
 *    open meanwhile, since closing it resets connections the kernel queued;
 * 2. stop listening with the plain net.Server close (Node 20's http close()
 *    would also reset connections whose request is not read yet);
 * 3. close the app (idle keep-alive connections, plugins).
 */
export async function drainAndClose(app: FastifyInstance, graceMs: number) {
  const deadline = Date.now() + graceMs;
  app.startDraining();
  await sleep(MIN_DRAIN_MS);
  while (app.inFlight() > 0 && Date.now() < deadline) await sleep(25);
  Server.prototype.close.call(app.server);
  const force = setTimeout(() => app.server.closeAllConnections(), Math.max(0, deadline - Date.now()));
  force.unref();
  await app.close();
  clearTimeout(force);
}
