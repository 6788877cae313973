import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";

import { appRouter } from "@voiceassist/api";

import { restErrorSchema } from "./error-body";

export interface DocumentOptions {
  version: string;
  /** Where clients reach the API; unset → "/" (the origin the document was fetched from). */
  publicUrl: string | undefined;
}

const DESCRIPTION = [
  "Plain-JSON REST routes for the VoiceAssist API's public and protected procedures.",
  "The same procedures are served over tRPC at /trpc (superjson envelope); both run the same validation, rate limits and authorisation.",
  "Protected routes take `Authorization: Bearer <accessToken>` from POST /api/auth/login.",
  "Errors are `{ message, code, data }`; `data.requestId` equals the x-request-id header.",
].join(" ");

/** The OpenAPI 3.1 document of the REST routes, generated from the router's `openapi` metas. */
export function buildOpenApiDocument({ version, publicUrl }: DocumentOptions): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "VoiceAssist API",
    description: DESCRIPTION,
    version,
    openApiVersion: "3.1.0",
    baseUrl: publicUrl ?? "/",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    tags: ["health", "auth", "users", "audit"],
    defs: { Error: restErrorSchema },
  });
  return withErrorBodies(document);
}

/**
 * trpc-to-openapi describes errors as `{ message, code, issues }`; ours carry
 * `data` (see error-body.ts), and 429s a Retry-After header.
 */
function withErrorBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(
      item as Record<string, { responses?: Record<string, { content?: unknown; headers?: unknown }> }>,
    )) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (status === "200") continue;
        response.content = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
        if (status === "429") {
          response.headers = {
            "Retry-After": { description: "Whole seconds to wait before retrying", schema: { type: "integer" } },
          };
        }
      }
    }
  }
  return document;
}
