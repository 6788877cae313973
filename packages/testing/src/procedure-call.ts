import { expect } from "vitest";

import { send, sendRaw, type RawResponse } from "./raw-http";
import type { TestServer } from "./server";
import { randomIp } from "./users";

export interface CallTarget {
  path: string;
  type: "query" | "mutation";
}

export interface CallOptions {
  /** Procedure input, wrapped as `{"json": input}`; undefined sends none. */
  input?: unknown;
  /** The whole envelope as raw JSON text instead of `input`. */
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * One call over plain HTTP the way the contract describes it (queries GET
 * with `?input=`, mutations POST with a JSON body), from a fresh client IP
 * so that no rate limit interferes with what a case means to test.
 */
export function callProcedure(server: TestServer, target: CallTarget, options: CallOptions = {}): Promise<RawResponse> {
  const envelope = options.raw ?? (options.input === undefined ? undefined : JSON.stringify({ json: options.input }));
  const headers = { "x-forwarded-for": randomIp(), ...options.headers };
  if (target.type === "query") {
    const query = envelope === undefined ? "" : `?input=${encodeURIComponent(envelope)}`;
    return send(`${server.trpcUrl}/${target.path}${query}`, { headers });
  }
  return send(`${server.trpcUrl}/${target.path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: envelope ?? "{}",
  });
}

/** The same call written byte for byte, with header lines fetch would refuse (raw UTF-8, duplicates). */
export function callProcedureRaw(server: TestServer, target: CallTarget, input: unknown, headerLines: Buffer[]): Promise<RawResponse> {
  const { host } = new URL(server.url);
  const body = Buffer.from(JSON.stringify({ json: input }));
  const isQuery = target.type === "query";
  const path = `/trpc/${target.path}${isQuery ? `?input=${encodeURIComponent(body.toString())}` : ""}`;
  const lines = [
    `${isQuery ? "GET" : "POST"} ${path} HTTP/1.1`,
    `Host: ${host}`,
    "Connection: close",
    `X-Forwarded-For: ${randomIp()}`,
    ...(isQuery ? [] : ["Content-Type: application/json", `Content-Length: ${body.length}`]),
  ];
  const head = Buffer.concat([
    Buffer.from(lines.map((line) => `${line}\r\n`).join("")),
    ...headerLines.map((line) => Buffer.concat([line, Buffer.from("\r\n")])),
    Buffer.from("\r\n"),
  ]);
  return sendRaw(server.url, head, isQuery ? "" : body);
}

/** The check that closes every group: whatever came before, the process still serves. */
export async function expectStillLive(server: TestServer) {
  const res = await send(`${server.trpcUrl}/health.live`);
  expect(res.status).toBe(200);
  expect(res.body.result.data.json.status).toBe("healthy");
}
