import { z } from "zod";

import { errorEnvelope } from "../error-envelope";

/** What tRPC's error formatter (packages/api trpc.ts) puts in `data`, and the REST body carries as is. */
interface ErrorData {
  code: string;
  httpStatus: number;
  requestId: string | null;
  zodError?: unknown;
  [key: string]: unknown;
}

/**
 * A REST error: tRPC's error shape without the superjson envelope, `code`
 * as its name ("BAD_REQUEST") as trpc-to-openapi spells it, and `data`
 * exactly as /trpc gives it (requestId, zodError, reason, retryAfterSeconds, checks).
 */
export function restErrorBody(shape: { message: string; data: ErrorData }) {
  const message = shape.data.zodError ? "Input validation failed" : shape.message;
  return { message, code: shape.data.code, data: shape.data };
}

/** The same body for an error raised before a procedure ran (413, bad JSON, unknown route). */
export function restFrameworkErrorBody(status: number, message: string, requestId: string) {
  const { json } = errorEnvelope(status, message, requestId).error;
  return { message: json.message, code: json.data.code, data: json.data };
}

/** The body above, for the document (components.schemas.Error). */
export const restErrorSchema = z.object({
  message: z.string(),
  code: z.string().meta({ example: "BAD_REQUEST" }),
  data: z
    .object({
      code: z.string(),
      httpStatus: z.number().int(),
      path: z.string().optional().meta({ description: "The procedure, e.g. auth.login" }),
      requestId: z.string().nullable().meta({ description: "Equals the x-request-id response header" }),
      zodError: z
        .object({ formErrors: z.array(z.string()), fieldErrors: z.record(z.string(), z.array(z.string())) })
        .nullable()
        .optional()
        .meta({ description: "Field errors when the input failed validation" }),
      reason: z.string().optional().meta({ description: "Which cause, where one code has several (e.g. ACCOUNT_LOCKED)" }),
      retryAfterSeconds: z.number().int().optional().meta({ description: "On 429, as the Retry-After header" }),
      checks: z.record(z.string(), z.unknown()).optional().meta({ description: "On health/ready's 503" }),
    })
    .loose(),
});
