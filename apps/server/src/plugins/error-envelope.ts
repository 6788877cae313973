import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { HTTP_CODE_TO_JSONRPC2 } from "@trpc/server/unstable-core-do-not-import";

/** tRPC's own key for a status; one it has none for (414, 431) falls back to its class's generic key. */
function trpcCodeKey(status: number): TRPC_ERROR_CODE_KEY {
  const known = (HTTP_CODE_TO_JSONRPC2 as Partial<Record<number, TRPC_ERROR_CODE_KEY>>)[status];
  return known ?? (status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST");
}

/** tRPC's error body for an error raised outside tRPC, so clients parse every error the same way. */
export function errorEnvelope(status: number, message: string, requestId: string) {
  const key = trpcCodeKey(status);
  return { error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[key], data: { code: key, httpStatus: status, requestId } } } };
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it
 * (headers over 16 KB, malformed request line) — still with an id and the envelope.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (!socket.writable) return socket.destroy();
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const requestId = randomUUID();
  const reason = STATUS_CODES[status] ?? "Bad Request";
  const body = JSON.stringify(errorEnvelope(status, reason, requestId));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `x-request-id: ${requestId}\r\nx-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
