import { spawn } from "node:child_process";
import { join } from "node:path";

import { minimalChildEnv } from "@voiceassist/testing/env";
import { freePort } from "@voiceassist/testing/ports";
import { REPO_ROOT, waitForHttp } from "@voiceassist/testing/server-process";

import { JWT_SECRET, sleep } from "./env";

export interface FloorServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * bench/floor-server.ts in its own process, like the real server: `auth`
 * answers auth.me (and health.live) from `databaseUrl`; `bare` answers only
 * health.live, with no database.
 */
export async function startFloor(mode: "auth" | "bare", databaseUrl = ""): Promise<FloorServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench", "floor-server.ts")], {
    cwd: REPO_ROOT,
    env: { ...minimalChildEnv(), FLOOR_MODE: mode, DATABASE_URL: databaseUrl, JWT_SECRET, PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/trpc/health.live`, 30_000, exited);
  const pid = child.pid;
  if (pid === undefined) throw new Error("floor server did not start");
  return {
    url,
    pid,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
      process.off("exit", killOnExit);
    },
  };
}
