import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const DOCS_PREFIX = "/docs";
const DOCS_TITLE = "VoiceAssist API reference";

/** Swagger UI's browser build, as the swagger-ui-dist package ships it (no Node code of its own runs here). */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
/** Our initializer and stylesheet, next to this file. */
const OWN_ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), "docs-assets");

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
/** Every file the page may load, by the name it has under /docs/: nothing else in either folder is served. */
const ASSETS: Record<string, { path: string; type: string }> = {
  "swagger-ui-bundle.js": { path: join(SWAGGER_UI_DIR, "swagger-ui-bundle.js"), type: JS },
  "swagger-ui.css": { path: join(SWAGGER_UI_DIR, "swagger-ui.css"), type: CSS },
  "initializer.js": { path: join(OWN_ASSETS_DIR, "initializer.js"), type: JS },
  "docs.css": { path: join(OWN_ASSETS_DIR, "docs.css"), type: CSS },
};

/**
 * Scripts and styles from this server only: no inline script (the initializer
 * is a file), no inline style, no eval, no other origin. Swagger UI sets styles through
 * the CSSOM (element.style), which CSP does not govern; its stylesheet's icons are data: URLs.
 */
const DOCS_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

interface LoadedAsset {
  body: Buffer;
  etag: string;
}

/**
 * The interactive reference (Swagger UI) at /docs/, reading `documentUrl`.
 * The page, its scripts and styles all come from this server, so it works
 * offline and its CSP allows no other origin. Files are read on first request
 * and kept in memory; browsers revalidate them by ETag.
 */
export async function registerDocsPage(app: FastifyInstance, documentUrl: string) {
  const page = docsPageHtml(documentUrl);
  const loaded = new Map<string, Promise<LoadedAsset>>();
  const load = (name: string, path: string) => {
    let asset = loaded.get(name);
    if (!asset) {
      asset = readFile(path).then((body) => ({ body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` }));
      asset.catch(() => loaded.delete(name)); // a failed read is retried on the next request
      loaded.set(name, asset);
    }
    return asset;
  };

  // Relative asset URLs resolve under /docs/ only with the trailing slash.
  app.get(DOCS_PREFIX, (_request, reply) => reply.redirect(`${DOCS_PREFIX}/`));
  app.get(`${DOCS_PREFIX}/`, (_request, reply) =>
    reply.header("content-security-policy", DOCS_POLICY).header("cache-control", "no-cache").type("text/html; charset=utf-8").send(page),
  );
  for (const [name, { path, type }] of Object.entries(ASSETS)) {
    app.get(`${DOCS_PREFIX}/${name}`, async (request, reply) => sendAsset(request, reply, await load(name, path), type));
  }
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, { body, etag }: LoadedAsset, type: string) {
  reply.header("etag", etag).header("cache-control", "no-cache");
  const ifNoneMatch = request.headers["if-none-match"];
  if (ifNoneMatch?.split(",").some((tag) => tag.trim() === etag)) return reply.status(304).send();
  return reply.type(type).send(body);
}

const escapeAttribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The page: Swagger UI's stylesheet and bundle, our initializer, and the document's URL for it to read. */
function docsPageHtml(documentUrl: string): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${DOCS_TITLE}</title>`,
    '<link rel="stylesheet" href="swagger-ui.css">',
    '<link rel="stylesheet" href="docs.css">',
    "</head>",
    "<body>",
    `<main id="swagger-ui" data-openapi-url="${escapeAttribute(documentUrl)}"></main>`,
    '<script src="swagger-ui-bundle.js"></script>',
    '<script src="initializer.js"></script>',
    "</body>",
    "</html>",
  ].join("\n");
}
