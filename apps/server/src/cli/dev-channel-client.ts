import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";

import type { Config } from "../config";
import { lockOwner } from "../data-dir-lock";
import { devChannelEnabled, devChannelPaths } from "../dev-channel";

/** Thrown with a message meant for the person at the terminal. */
export class DevChannelError extends Error {}

/** How long a CLI waits for a server that holds the database but is still starting (migrations). */
const STARTING_SERVER_WAIT_MS = 60_000;

/**
 * Whether a CLI must go through the running server: the embedded database is
 * locked by another live process. Null when the CLI may open the database
 * itself. A server still starting has the lock before its channel: wait for it.
 */
export async function runningServer(config: Config): Promise<{ pid: number } | null> {
  if (config.DATABASE_URL) return null;
  const pid = lockOwner(config.pgliteDir);
  if (!pid) return null;
  const { socket } = devChannelPaths(config);
  const deadline = Date.now() + STARTING_SERVER_WAIT_MS;
  while (devChannelEnabled(config) && !existsSync(socket) && lockOwner(config.pgliteDir) === pid && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (devChannelEnabled(config) && existsSync(socket)) return { pid };
  if (!lockOwner(config.pgliteDir)) return null;
  throw new DevChannelError(
    `the embedded database in ${config.pgliteDir} is in use by process ${pid}, which offers no dev channel; stop it first, or set DATABASE_URL`,
  );
}

/** One command to the running server over its Unix socket, authenticated by the token it wrote. */
export function askServer<T>(config: Config, path: string, body: object): Promise<T> {
  const paths = devChannelPaths(config);
  const token = readFileSync(paths.token, "utf8").trim();
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: paths.socket,
      path,
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      timeout: 60_000,
    });
    req.on("timeout", () => req.destroy(new DevChannelError("the running server did not answer within 60 s")));
    req.on("error", (error) =>
      reject(error instanceof DevChannelError ? error : new DevChannelError(`cannot reach the running server: ${error.message}`)),
    );
    req.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        const parsed = (() => {
          try {
            return JSON.parse(text) as T & { error?: string };
          } catch {
            return { error: `unexpected answer (${response.statusCode})` } as T & { error?: string };
          }
        })();
        if (response.statusCode === 200) resolve(parsed);
        else reject(new DevChannelError(parsed.error ?? `the running server answered ${response.statusCode}`));
      });
    });
    req.end(JSON.stringify(body));
  });
}
