import type { Server } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { createServer, type ViteDevServer } from "vite";

export interface AttachOptions {
  /** The tRPC endpoint the app should call. */
  apiUrl: string;
  /** Vite's dependency cache; give each test run its own so parallel runs do not collide. */
  cacheDir: string;
  /** The web app's origin (the admin panel links to its Security page); the app's default otherwise. */
  webUrl?: string;
}

/**
 * What the production nginx sends regardless of deployment (deploy/nginx/spa.conf). A script-src
 * is left out: Vite's dev mode relies on inline scripts (React refresh) and its HMR socket.
 */
const DEV_SECURITY_HEADERS = {
  "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
};

/** An app's folder (where its vite.config.ts is), found through its package so no path crosses workspaces. */
function appRoot(packageName: string): string {
  return dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
}

/**
 * Serves the app `packageName` (e.g. "@voiceassist/web") in Vite dev mode on
 * an http server the caller has already bound, for browser tests: the caller
 * knows the port, and so the CORS origin, before the API starts. Close the
 * returned server when done.
 */
export async function attachApp(packageName: string, httpServer: Server, options: AttachOptions): Promise<ViteDevServer> {
  const root = appRoot(packageName);
  const vite = await createServer({
    root,
    configFile: join(root, "vite.config.ts"),
    cacheDir: options.cacheDir,
    appType: "spa",
    logLevel: "warn",
    clearScreen: false,
    define: {
      "import.meta.env.VITE_API_URL": JSON.stringify(options.apiUrl),
      ...(options.webUrl ? { "import.meta.env.VITE_WEB_URL": JSON.stringify(options.webUrl) } : {}),
    },
    // HMR rides on the same http server, so the injected Vite client finds its socket.
    server: { middlewareMode: true, ws: { server: httpServer }, headers: DEV_SECURITY_HEADERS },
  });
  httpServer.on("request", vite.middlewares);
  return vite;
}
