import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/**
 * Helmet's headers on every response (nosniff above all). The API serves
 * only JSON, so its CSP allows nothing at all: a response rendered as a
 * page by mistake can run no script and be framed by no one.
 */
export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
  });
}
