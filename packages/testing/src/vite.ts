import type { Server } from "node:http";
import { fileURLToPath } from "node:url";

import { createServer, type ViteDevServer } from "vite";

export interface AttachOptions {
  /** The tRPC endpoint the app should call. */
  apiUrl: string;
  /** Vite's dependency cache; give each test run its own so parallel runs do not collide. */
  cacheDir: string;
}

/**
 * What the production nginx sends regardless of deployment (deploy/nginx/spa.conf). A script-src
 * is left out: Vite's dev mode relies on inline scripts (React refresh) and its HMR socket.
 */
const DEV_SECURITY_HEADERS = {
  "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
};

export type AttachDevServer = (httpServer: Server, options: AttachOptions) => Promise<ViteDevServer>;

/**
 * For the app whose root (the folder with vite.config.ts) is `appRoot`, a file
 * URL ending in "/": serves it (Vite dev mode) on an http server the caller has
 * already bound, for browser tests: the caller knows the port, and so the CORS
 * origin, before the API starts. Close the returned server when done.
 */
export function devServerFor(appRoot: URL): AttachDevServer {
  const root = fileURLToPath(appRoot);
  return async (httpServer, options) => {
    const vite = await createServer({
      root,
      configFile: fileURLToPath(new URL("vite.config.ts", appRoot)),
      cacheDir: options.cacheDir,
      appType: "spa",
      logLevel: "warn",
      clearScreen: false,
      define: { "import.meta.env.VITE_API_URL": JSON.stringify(options.apiUrl) },
      // HMR rides on the same http server, so the injected Vite client finds its socket.
      server: { middlewareMode: true, ws: { server: httpServer }, headers: DEV_SECURITY_HEADERS },
    });
    httpServer.on("request", vite.middlewares);
    return vite;
  };
}
