import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { GENERIC_SERVER_ERROR_MESSAGE } from "@voiceassist/shared/transport";

import { errorEnvelope } from "./error-envelope";

/**
 * Errors raised by Fastify before tRPC sees the request (body too large,
 * unknown routes, forbidden keys) answered in tRPC's error envelope, with
 * the request id and never a stack trace.
 */
export function errorEnvelopes(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, message } = publicError(error);
    if (status >= 500) request.log.error({ err: error }, "unhandled error");
    return sendEnvelope(request, reply, status, message);
  });
  app.setNotFoundHandler((request, reply) => sendEnvelope(request, reply, 404, "Not found"));
}

/** For Fastify's `frameworkErrors`: malformed URLs and over-long paths, before any hook runs. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply.header("x-request-id", request.id);
  reply.header("x-content-type-options", "nosniff"); // helmet's hook never ran for these
  return sendEnvelope(request, reply, status, publicMessage(error, status));
}

/** The status and client-safe message for an error Fastify raised (the REST routes answer it in their own body). */
export function publicError(error: FastifyError): { status: number; message: string } {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  return { status, message: status >= 500 ? GENERIC_SERVER_ERROR_MESSAGE : publicMessage(error, status) };
}

function publicMessage(error: FastifyError, status: number) {
  if (status === 413) return "Request body is larger than 1 MiB";
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return "Request body is not valid JSON";
  }
  if (error.code === "FST_ERR_BAD_URL") return "Malformed URL";
  if (status === 414 || error.code === "FST_ERR_MAX_PARAM_LENGTH") return "Procedure path too long";
  if (status === 415) return "Unsupported content type";
  return error.message;
}

function sendEnvelope(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  return reply.status(status).send(errorEnvelope(status, message, request.id));
}
