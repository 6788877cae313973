import type { ServerResponse } from "node:http";

import type { TRPCError } from "@trpc/server";
import type { FastifyReply, FastifyRequest } from "fastify";

import { createContext, NotReadyError, RateLimitedError, tagWithRequestId, type ApiDeps, type Context } from "@voiceassist/api";

import { clientAddress } from "../client-ip";
import { serverRequestId } from "./request-id";

/**
 * What every procedure call learns about its request, whichever transport
 * carried it (/trpc or the REST routes under /api): canonical client address,
 * request ids and the Authorization header.
 */
export function requestContext(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Context {
  return createContext(
    deps,
    {
      ...clientAddress(req.ip, req.socket.remoteAddress),
      userAgent: req.headers["user-agent"] ?? null,
      requestId: req.id,
      serverRequestId: serverRequestId(req.raw),
      authorization: req.headers.authorization ?? null,
    },
    madeOnce(() => abortedWhenClientLeaves(reply.raw)),
  );
}

/** Most calls never ask for the signal (only queued password work does), so it is made on first use. */
function madeOnce<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** A signal that aborts when the connection closes before the response was written (the client hung up). */
export function abortedWhenClientLeaves(response: ServerResponse): AbortSignal {
  if (response.closed && !response.writableFinished) return AbortSignal.abort(new Error("client closed the connection"));
  const controller = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  return controller.signal;
}

/** The `Retry-After` seconds for a response that carries these errors; 0 for none. */
export function retryAfterSeconds(errors: readonly TRPCError[]): number {
  const waits = errors.map((e) => (e.cause instanceof RateLimitedError ? e.cause.retryAfterSeconds : 0));
  return Math.max(0, ...waits);
}

/**
 * What happens to every failed call, whichever transport carried it: the
 * error gets the request id (its body must carry it even when it was raised
 * before a context existed), and an operator sees unexpected failures and a
 * database that stalled or went away.
 */
export function procedureFailed(req: FastifyRequest, error: TRPCError, path: string | undefined) {
  tagWithRequestId(error, req.id);
  if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
  // A stalled or unreachable database (503, mapped in packages/api's trpc.ts); logger.ts keeps its params out.
  if (error.code === "SERVICE_UNAVAILABLE" && !(error.cause instanceof NotReadyError)) {
    req.log.warn({ err: error.cause ?? error, path }, "database unavailable");
  }
}
