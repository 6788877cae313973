import type { FastifyInstance } from "fastify";

import { refuseCostlyMeta } from "./superjson-meta";

/** Keys superjson silently drops (so a strict input never sees them) and that poison prototypes elsewhere. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** Query parameters tRPC reads with `get()`: a repeat would be dropped unchecked. */
const SINGLE_PARAMS = ["input", "batch"] as const;

/**
 * tRPC reads JSON bodies itself, past Fastify's prototype-poisoning guard.
 * The check runs on the parsed structure, so JSON escapes (`"\u005f_proto__"`)
 * cannot hide a key, and on the only `input` tRPC will read.
 */
export function forbiddenKeys(app: FastifyInstance) {
  app.addHook("preValidation", (request, _reply, done) => done(refusal(request.query, request.body)));
}

/** Why this request's input is refused, or undefined when it may go on. */
function refusal(rawQuery: unknown, body: unknown): Error | undefined {
  const query = (rawQuery ?? {}) as Record<string, unknown>;
  for (const name of SINGLE_PARAMS) {
    if (Array.isArray(query[name])) return badRequest(`The "${name}" query parameter may appear only once`);
  }
  const isBatch = query.batch === "1";
  for (const text of [body, query.input]) {
    const parsed = parseJson(text);
    if (parsed === undefined) continue; // nothing to check, or not JSON: tRPC reports bad JSON itself
    if (hasForbiddenKey(parsed)) return forbiddenKeyError();
    const costly = refuseCostlyMeta(parsed, isBatch);
    if (costly) return badRequest(costly);
  }
  return undefined;
}

/**
 * Text that could hold a forbidden key or a superjson meta: the words
 * themselves, or a `\u` escape, the only way JSON can spell a letter
 * differently. Anything else cannot, so the common body is not parsed twice
 * (tRPC parses it again).
 */
const MAY_NEED_CHECK = /\\u|__proto__|constructor|prototype|"meta"/;

function parseJson(text: unknown): unknown {
  if (typeof text !== "string" || !MAY_NEED_CHECK.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const forbiddenKeyError = () => badRequest("Input contains a forbidden key (__proto__, constructor or prototype)");

/** Walks without recursion: a deeply nested body must not overflow the stack. */
export function hasForbiddenKey(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length) {
    const value = pending.pop();
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const item of value) pending.push(item); // no spread: a huge array would overflow the argument stack
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return true;
      pending.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

const badRequest = (message: string) => Object.assign(new Error(message), { statusCode: 400 });
