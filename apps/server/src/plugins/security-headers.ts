import type { IncomingMessage, ServerResponse } from "node:http";

import type { FastifyInstance } from "fastify";
import helmet from "helmet";

/**
 * Helmet's headers on every response (nosniff above all). The API serves
 * only JSON, so its CSP allows nothing at all: a response rendered as a
 * page by mistake can run no script and be framed by no one.
 */
export const securityHeaderOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
} satisfies Parameters<typeof helmet>[0];

/**
 * The headers are the same for every response, so helmet runs once at start
 * and each request only copies them (@fastify/helmet built a new helmet
 * middleware per request: a measurable share of a cheap call, see bench/README.md).
 */
export function registerSecurityHeaders(app: FastifyInstance) {
  const headers = helmetHeaders();
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** Runs helmet's middleware against a stand-in response and keeps what it set. */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
      return response;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(securityHeaderOptions)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
