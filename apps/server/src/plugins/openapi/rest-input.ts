import { instanceofZodTypeKind, unwrapZodType } from "trpc-to-openapi";
import type { $ZodType } from "zod/v4/core";

/**
 * A procedure's input from a REST request: the query string (GET, DELETE) or
 * the JSON body (POST, PATCH), with path parameters on top. No input at all
 * stays undefined, so procedures whose input is optional accept none.
 */
export function restInput(source: unknown, params: Record<string, string>): unknown {
  const hasParams = Object.keys(params).length > 0;
  if (source === undefined || source === null) return hasParams ? { ...params } : undefined;
  // A body that is not an object goes to validation as it is (and fails there, 400).
  if (typeof source !== "object" || Array.isArray(source)) return source;
  const fields = { ...(source as Record<string, unknown>), ...params };
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * Query strings carry only text. A field the input declares as a number, a
 * boolean or a date is converted when the text spells one exactly ("20",
 * "true", "false", an ISO 8601 date or date-time); anything else is left as
 * text for validation to refuse.
 * Unlike z.coerce, "false" is false and "abc" is not NaN, and the shared
 * schemas are never changed (trpc-to-openapi's own handler sets `coerce` on
 * them, which would loosen the /trpc inputs too).
 */
export function queryFields(inputParser: unknown, query: Record<string, unknown>): Record<string, unknown> {
  const shape = objectShape(inputParser);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    fields[key] = typeof value === "string" ? convert(shape?.[key], value) : value;
  }
  return fields;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function convert(field: unknown, text: string): unknown {
  if (!field) return text; // an unknown key: the strict input refuses it
  const type = unwrapZodType(field as $ZodType, false);
  if (instanceofZodTypeKind(type, "number") && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (instanceofZodTypeKind(type, "boolean") && (text === "true" || text === "false")) return text === "true";
  if (instanceofZodTypeKind(type, "date") && ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text);
  return text;
}

function objectShape(parser: unknown): Record<string, unknown> | undefined {
  if (!parser) return undefined;
  const inner = unwrapZodType(parser as $ZodType, true);
  return instanceofZodTypeKind(inner, "object") ? (inner as unknown as { shape: Record<string, unknown> }).shape : undefined;
}
