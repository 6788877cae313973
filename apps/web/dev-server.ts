import type { Server } from "node:http";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

import { createServer, type ViteDevServer } from "vite";

const root = dirname(fileURLToPath(import.meta.url));

export interface AttachOptions {
  /** The tRPC endpoint the app should call. */
  apiUrl: string;
  /** Vite's dependency cache; give each test run its own so parallel runs do not collide. */
  cacheDir: string;
}

/**
 * Serves this app (Vite dev mode) on an http server the caller has already
 * bound, for browser tests: the caller knows the port, and so the CORS origin,
 * before the API starts. Close the returned server when done.
 */
export async function attachDevServer(httpServer: Server, options: AttachOptions): Promise<ViteDevServer> {
  const vite = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    cacheDir: options.cacheDir,
    appType: "spa",
    logLevel: "warn",
    clearScreen: false,
    define: { "import.meta.env.VITE_API_URL": JSON.stringify(options.apiUrl) },
    // HMR rides on the same http server, so the injected Vite client finds its socket.
    server: { middlewareMode: true, ws: { server: httpServer } },
  });
  httpServer.on("request", vite.middlewares);
  return vite;
}
