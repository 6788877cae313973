import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

import { JWT_SECRET, REDIS_URL, REPO_ROOT, sleep } from "./env";

export interface RunningServer {
  url: string;
  pid: number;
  /** Resident set size of the server process, in KiB (VmRSS). */
  rssKb(): number;
  /** CPU time (user + system, all threads) the server process has used so far, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  env?: Record<string, string>;
}

/** A free loopback port (tiny race window, fine for a bench). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Runs apps/server/src/server.ts in its own process (node --import tsx, so
 * the pid is the server itself, not a wrapper) and waits for health.live.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    INIT_CWD: REPO_ROOT,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL,
    JWT_SECRET,
    BCRYPT_ROUNDS: "12",
    TRUST_PROXY: "127.0.0.1",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "apps/server/src/server.ts"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tag = `[server:${port}]`;
  const relay = (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, `${tag} `));
  child.stdout!.on("data", relay);
  child.stderr!.on("data", relay);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  // Last resort if this process dies without running its clean-up: never leave a server behind.
  const killOnExit = () => void (exited || child.kill("SIGKILL"));
  process.once("exit", killOnExit);
  void exit.then(() => process.off("exit", killOnExit));

  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, () => exited);
  return {
    url,
    pid: child.pid!,
    rssKb: () => readRssKb(child.pid!),
    cpuSeconds: () => readCpuSeconds(child.pid!),
    async stop() {
      if (exited) return;
      // Let handlers whose client (the load generator) has already hung up finish first:
      // the server's shutdown closes the database under them otherwise (see bench/README.md).
      await sleep(1000);
      child.kill("SIGTERM");
      const killed = await Promise.race([exit.then(() => true), sleep(15_000).then(() => false)]);
      if (!killed) {
        child.kill("SIGKILL");
        await exit;
      }
    },
  };
}

async function waitHealthy(url: string, child: ChildProcess, hasExited: () => boolean) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`server exited during start-up (code ${child.exitCode})`);
    try {
      const res = await fetch(`${url}/trpc/health.live`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error(`server at ${url} not healthy within 60 s`);
}

export function readRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : NaN;
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
