import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";

const TRPC_CODES: Record<number, { code: string; number: number }> = {
  400: { code: "BAD_REQUEST", number: -32600 },
  404: { code: "NOT_FOUND", number: -32004 },
  405: { code: "METHOD_NOT_SUPPORTED", number: -32005 },
  413: { code: "PAYLOAD_TOO_LARGE", number: -32013 },
  414: { code: "BAD_REQUEST", number: -32600 },
  415: { code: "UNSUPPORTED_MEDIA_TYPE", number: -32015 },
  431: { code: "BAD_REQUEST", number: -32600 },
  500: { code: "INTERNAL_SERVER_ERROR", number: -32603 },
  503: { code: "SERVICE_UNAVAILABLE", number: -32603 },
};

/** tRPC's error body for an error raised outside tRPC, so clients parse every error the same way. */
export function errorEnvelope(status: number, message: string, requestId: string) {
  const known = TRPC_CODES[status] ?? TRPC_CODES[status >= 500 ? 500 : 400]!;
  return { error: { json: { message, code: known.number, data: { code: known.code, httpStatus: status, requestId } } } };
}

const REASONS: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large" };

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it
 * (headers over 16 KB, malformed request line) — still with an id and the envelope.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (!socket.writable) return socket.destroy();
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const requestId = randomUUID();
  const body = JSON.stringify(errorEnvelope(status, REASONS[status]!, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `x-request-id: ${requestId}\r\nx-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
