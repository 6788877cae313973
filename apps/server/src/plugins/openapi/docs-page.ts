import { randomBytes } from "node:crypto";

import scalar from "@scalar/fastify-api-reference";
import type { FastifyInstance } from "fastify";

export const DOCS_PREFIX = "/docs";
/** Stands in for the per-response nonce in the page Scalar renders once per request. */
const NONCE_PLACEHOLDER = "csp-nonce-placeholder";

/**
 * The interactive reference (Scalar) at /docs, reading /openapi.json. Its
 * script is the copy bundled in the package (/docs/js/scalar.js), never a CDN,
 * so it works offline. The API's CSP allows nothing; here it allows this
 * server's scripts, styles, fonts and fetches, and the page's own inline
 * script by a fresh nonce per response. Styles may be inline: the bundle
 * injects a stylesheet (its toast component's) that carries no nonce. No
 * inline script can run, and the page shows nothing but the document.
 */
export async function registerDocsPage(app: FastifyInstance, documentUrl: string) {
  await app.register(async (scope) => {
    scope.addHook("onSend", async (_request, reply, payload) => {
      if (typeof payload !== "string" || !payload.includes(NONCE_PLACEHOLDER)) return payload;
      const nonce = randomBytes(16).toString("base64");
      reply.header("content-security-policy", docsPolicy(nonce));
      return payload.replaceAll(NONCE_PLACEHOLDER, nonce);
    });
    await scope.register(scalar, {
      routePrefix: DOCS_PREFIX,
      logLevel: "warn",
      configuration: {
        url: documentUrl,
        pageTitle: "VoiceAssist API reference",
        nonce: NONCE_PLACEHOLDER,
        // Nothing from the internet: no web fonts, no cloud client, agent, MCP or developer toolbar.
        withDefaultFonts: false,
        hideClientButton: true,
        telemetry: false,
        agent: { disabled: true },
        mcp: { disabled: true },
        showDeveloperTools: "never",
      },
    });
  });
}

function docsPolicy(nonce: string) {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
