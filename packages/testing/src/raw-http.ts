import { connect } from "node:net";

import { expect } from "vitest";

/** What a test needs from any HTTP answer, whichever way it was sent. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: any;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A ready body; strings and buffers go out as they are (no JSON encoding). */
  body?: string | Buffer | ReadableStream<Uint8Array>;
  timeoutMs?: number;
}

/** fetch with a time bound, returning status, headers and the body both raw and parsed. */
export async function send(url: string, options: SendOptions = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body as RequestInit["body"],
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    ...(options.body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), text, body: parseJson(text) };
}

/**
 * One request written byte for byte on a fresh socket: for what fetch refuses
 * to send (non-Latin-1 or invalid UTF-8 header bytes, duplicate headers).
 */
export async function sendRaw(url: string, head: Buffer | string, body: Buffer | string = "", timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.write(Buffer.concat([Buffer.from(head), Buffer.from(body)]));
  });
  return parseRawResponse(Buffer.concat(chunks));
}

function parseRawResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf("\r\n\r\n");
  const headText = raw.subarray(0, split < 0 ? raw.length : split).toString("latin1");
  let payload = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
  const [statusLine = "", ...lines] = headText.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers["transfer-encoding"]?.includes("chunked")) payload = dechunk(payload);
  const text = payload.toString("utf8");
  return { status: Number(statusLine.split(" ")[1]), headers, text, body: parseJson(text) };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Leaks an error body must never contain: stack frames, source paths, SQL or driver text, hashes, connection strings. */
const LEAKS: Array<[string, RegExp]> = [
  ["stack frame", /\n\s+at\s|\bat [^\s"]+ \(|"stack"\s*:/],
  ["source path", /node_modules|\/work\/|\.(?:ts|js|mjs|cjs):\d+/],
  [
    "SQL text",
    /\b(?:select|insert into|delete from)\b[^"]*\b(?:from|values|where)\b|Failed query|violates|duplicate key|syntax error at|relation "|invalid byte sequence/i,
  ],
  ["connection string", /(?:postgres(?:ql)?|redis):\/\//i],
  ["bcrypt hash", /\$2[aby]\$\d\d\$/],
];

export function expectNoLeak(text: string) {
  for (const [what, pattern] of LEAKS) expect(text, `error body leaks a ${what}`).not.toMatch(pattern);
}

/** The tRPC error envelopes in a body: one for a single call, one per failed call in a batch. */
export function errorsOf(body: any): Array<{ message: string; data: Record<string, any> }> {
  const items = Array.isArray(body) ? body : [body];
  return items.flatMap((item) => (item?.error?.json ? [item.error.json] : []));
}

/**
 * What holds for every answer the server gives to bad input: no 5xx, an
 * x-request-id, no leaks, and (for errors) the tRPC envelope.
 */
export function expectClean(res: RawResponse) {
  expect(res.status, `unexpected ${res.status}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers["x-request-id"] ?? "<missing>", `x-request-id header on: ${res.text.slice(0, 200)}`).toMatch(
    /^[A-Za-z0-9._-]{1,128}$/,
  );
  expectNoLeak(res.text);
  if (res.status >= 400) expect(errorsOf(res.body).length, `no tRPC error envelope in: ${res.text.slice(0, 200)}`).toBeGreaterThan(0);
}

/** A single-call error with the given HTTP status and tRPC code, clean in every other way. */
export function expectError(res: RawResponse, status: number, code: string) {
  expect({ status: res.status, code: errorsOf(res.body)[0]?.data.code }, res.text.slice(0, 300)).toEqual({ status, code });
  expectClean(res);
}

/** Error bodies name the same request id as the response header (the contract's promise to support staff). */
export function expectRequestIdInBody(res: RawResponse) {
  const errors = errorsOf(res.body);
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error.data.requestId, res.text.slice(0, 300)).toBe(res.headers["x-request-id"]);
}
