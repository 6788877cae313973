import type { FastifyInstance } from "fastify";

import { REST_PREFIX, type ApiDeps } from "@voiceassist/api";

import { registerDocsPage } from "./openapi/docs-page";
import { buildOpenApiDocument } from "./openapi/document";
import { registerRestRoutes } from "./openapi/rest-routes";

export const OPENAPI_PATH = "/openapi.json";

export interface OpenApiOptions {
  deps: ApiDeps;
  /** PUBLIC_URL from the config: the document's server. */
  publicUrl: string | undefined;
}

/**
 * OpenAPI 3.1 for clients that do not speak tRPC: the document at
 * /openapi.json (generated on first request, then kept: ~20 ms that start-up need not pay), the plain-JSON REST routes it
 * describes under /api, and the interactive reference at /docs.
 */
export async function registerOpenApi(app: FastifyInstance, { deps, publicUrl }: OpenApiOptions) {
  let document: string | undefined;
  app.get(OPENAPI_PATH, async (_request, reply) => {
    document ??= JSON.stringify(buildOpenApiDocument({ version: deps.version, publicUrl }));
    return reply.type("application/json; charset=utf-8").send(document);
  });
  await registerRestRoutes(app, deps, REST_PREFIX);
  await registerDocsPage(app, OPENAPI_PATH);
}
