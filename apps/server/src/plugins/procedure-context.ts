import type { TRPCError } from "@trpc/server";
import type { FastifyRequest } from "fastify";

import { createContext, NotReadyError, RateLimitedError, type ApiDeps, type Context } from "@voiceassist/api";

import { clientAddress } from "../client-ip";
import { serverRequestId } from "./request-id";

/**
 * What every procedure call learns about its request, whichever transport
 * carried it (/trpc or the REST routes under /api): canonical client address,
 * request ids and the Authorization header.
 */
export function requestContext(deps: ApiDeps, req: FastifyRequest): Context {
  return createContext(deps, {
    ...clientAddress(req.ip, req.socket.remoteAddress),
    userAgent: req.headers["user-agent"] ?? null,
    requestId: req.id,
    serverRequestId: serverRequestId(req.raw),
    authorization: req.headers.authorization ?? null,
  });
}

/** The `Retry-After` seconds for a response that carries these errors; 0 for none. */
export function retryAfterSeconds(errors: readonly TRPCError[]): number {
  const waits = errors.map((e) => (e.cause instanceof RateLimitedError ? e.cause.retryAfterSeconds : 0));
  return Math.max(0, ...waits);
}

/** Logs what an operator must see: unexpected failures, and a database that stalled or went away. */
export function logProcedureError(req: FastifyRequest, error: TRPCError, path: string | undefined) {
  if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
  // A stalled or unreachable database (503, mapped in packages/api's trpc.ts); logger.ts keeps its params out.
  if (error.code === "SERVICE_UNAVAILABLE" && !(error.cause instanceof NotReadyError)) {
    req.log.warn({ err: error.cause ?? error, path }, "database unavailable");
  }
}
