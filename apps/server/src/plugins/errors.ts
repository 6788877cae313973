import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const TRPC_CODES: Record<number, { code: string; number: number }> = {
  400: { code: "BAD_REQUEST", number: -32600 },
  404: { code: "NOT_FOUND", number: -32004 },
  405: { code: "METHOD_NOT_SUPPORTED", number: -32005 },
  413: { code: "PAYLOAD_TOO_LARGE", number: -32013 },
  415: { code: "UNSUPPORTED_MEDIA_TYPE", number: -32015 },
  500: { code: "INTERNAL_SERVER_ERROR", number: -32603 },
};

/**
 * Errors raised by Fastify before tRPC sees the request (body too large,
 * malformed JSON, unknown routes) answered in tRPC's error envelope, with
 * the request id and never a stack trace.
 */
export function errorEnvelopes(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, "unhandled error");
    const message = status >= 500 ? "Internal server error" : publicMessage(error, status);
    return send(request, reply, status, message);
  });
  app.setNotFoundHandler((request, reply) => send(request, reply, 404, "Not found"));
}

function publicMessage(error: FastifyError, status: number) {
  if (status === 413) return "Request body is larger than 1 MiB";
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return "Request body is not valid JSON";
  }
  if (status === 415) return "Unsupported content type";
  return error.message;
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  const known = TRPC_CODES[status] ?? TRPC_CODES[400]!;
  return reply.status(status).send({
    error: {
      json: {
        message,
        code: known.number,
        data: { code: known.code, httpStatus: status, requestId: request.id },
      },
    },
  });
}
