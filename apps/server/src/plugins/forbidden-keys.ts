import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";

/**
 * tRPC reads JSON bodies itself, past Fastify's prototype-poisoning guard,
 * and superjson silently drops `__proto__`/`constructor.prototype` keys, so a
 * strict input would never see them. Refuse such input outright instead.
 */
export function forbiddenKeys(app: FastifyInstance) {
  app.addHook("preValidation", async (request) => {
    refuseForbiddenKeys(request.body);
    refuseForbiddenKeys((request.query as Record<string, unknown> | undefined)?.input);
  });
}

/** Throws a 400 when `json` (a request body or a GET `input`) holds a prototype-poisoning key. */
function refuseForbiddenKeys(json: unknown) {
  if (typeof json !== "string" || !(json.includes("__proto__") || json.includes("constructor"))) return;
  try {
    sjson.parse(json, undefined, { protoAction: "error", constructorAction: "error" });
  } catch (error) {
    if (error instanceof SyntaxError && !/prototype/i.test(error.message)) return; // tRPC reports bad JSON itself
    throw Object.assign(new Error("Input contains a forbidden key (__proto__ or constructor.prototype)"), {
      statusCode: 400,
    });
  }
}
