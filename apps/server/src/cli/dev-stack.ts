import { spawn } from "node:child_process";
import { join } from "node:path";

import { ConfigError, type Config } from "../config";
import { devStackEnv, loadProcessConfig, REPO_ROOT } from "../env-file";
import { banner } from "./dev-banner";

/**
 * `npm start`: the API in watch mode (restarted on every code change), the web
 * app and the admin panel, through turbo; then, once all three answer, one
 * banner with the URLs that work and how to get the first admin. The
 * configuration is checked first, so a bad value prints its one line and
 * nothing else. `npm run start:server` stays the production-like path.
 */
function main() {
  let config: Config;
  try {
    config = loadProcessConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const stack = devStackEnv();
  for (const [name, port] of [
    ["WEB_PORT", stack.webPort],
    ["ADMIN_PORT", stack.adminPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.error(`Invalid configuration: ${name} must be a port number (1-65535)`);
      process.exit(1);
    }
  }

  // The API listens on HOST; browsers on this machine reach it on the loopback address either way.
  const apiHost = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  const api = `http://${apiHost.includes(":") ? `[${apiHost}]` : apiHost}:${config.PORT}`;
  // The apps are printed as localhost: passkeys are bound to WEBAUTHN_RP_ID (default "localhost"),
  // and a page opened on 127.0.0.1 could not make or use one. Readiness is polled on loopback.
  const web = `http://localhost:${stack.webPort}`;
  const admin = `http://localhost:${stack.adminPort}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...stack.inherited,
    VITE_API_URL: stack.viteApiUrl ?? `${api}/trpc`,
    VITE_WEB_URL: stack.viteWebUrl ?? web,
    WEB_PORT: String(stack.webPort),
    ADMIN_PORT: String(stack.adminPort),
  };
  // Other app ports than the defaults need their own origins (both spellings, as the defaults have).
  if (!stack.corsOriginsSet && (stack.webPort !== 3000 || stack.adminPort !== 3001)) {
    childEnv.CORS_ORIGINS = [stack.webPort, stack.adminPort].flatMap((p) => [`http://localhost:${p}`, `http://127.0.0.1:${p}`]).join(",");
  }

  // Its own process group: npm's turbo is a Node shim that ignores signals, and the native
  // binary below it stops every task cleanly on SIGINT, so a signal goes to the whole group.
  const turbo = spawn(join(REPO_ROOT, "node_modules", ".bin", "turbo"), ["run", "dev", "--ui=stream"], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      stopping = true;
      if (turbo.pid) process.kill(-turbo.pid, "SIGINT");
    });
  }
  turbo.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

  const loopback = (url: string) => url.replace("//localhost:", "//127.0.0.1:");
  void waitForAll([`${api}/trpc/health.live`, loopback(web), loopback(admin)], () => stopping).then((up) => {
    if (up) console.log(banner({ api, web, admin, devMailbox: stack.devMailbox }));
  });
}

/** Polls until every URL answers 2xx (true), or the stack is stopping (false). */
async function waitForAll(urls: string[], stopping: () => boolean): Promise<boolean> {
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (stopping()) return false;
    for (const url of pending) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) pending.delete(url);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return true;
}

main();
