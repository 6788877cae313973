import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";

/**
 * tRPC reads JSON bodies itself, past Fastify's prototype-poisoning guard,
 * and superjson silently drops `__proto__`/`constructor.prototype` keys, so a
 * strict input would never see them. Refuse such bodies outright instead.
 */
export function forbiddenKeys(app: FastifyInstance) {
  app.addHook("preValidation", async (request) => {
    const body = request.body;
    if (typeof body !== "string" || !(body.includes("__proto__") || body.includes("constructor"))) return;
    try {
      sjson.parse(body, undefined, { protoAction: "error", constructorAction: "error" });
    } catch (error) {
      if (error instanceof SyntaxError && !/prototype/i.test(error.message)) return; // tRPC reports bad JSON itself
      throw Object.assign(new Error("Request body contains a forbidden key (__proto__ or constructor.prototype)"), {
        statusCode: 400,
      });
    }
  });
}
