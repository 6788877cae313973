import { readFileSync } from "node:fs";

import { spawnServer, waitForHttp } from "@voiceassist/testing/server-process";

import { JWT_SECRET, REDIS_URL, SERVER_NODE_ARGS, sleep } from "./env";

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
  /** A port chosen beforehand (the OIDC bench's issuer names it); a free one otherwise. */
  port?: number;
}

/**
 * The server's own start script in its own process (the pid is the server
 * itself, not a wrapper), with production settings, once health.live answers.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let tag = "[server]";
  const relay = (chunk: string) => process.stderr.write(chunk.replace(/^(?=.)/gm, `${tag} `));
  const server = await spawnServer(
    {
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      REDIS_URL,
      JWT_SECRET,
      BCRYPT_ROUNDS: "12",
      TRUST_PROXY: "127.0.0.1",
      ...options.env,
    },
    // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers.
    { onOutput: relay, nodeArgs: SERVER_NODE_ARGS, port: options.port },
  );
  tag = `[server:${server.port}]`;
  const { child } = server;
  const pid = child.pid;
  if (pid === undefined) throw new Error("server process did not start");
  let exited = false;
  void server.exited.then(() => (exited = true));
  // Last resort if this process dies without running its clean-up: never leave a server behind.
  const killOnExit = () => void (exited || child.kill("SIGKILL"));
  process.once("exit", killOnExit);
  void server.exited.then(() => process.off("exit", killOnExit));

  const url = `http://127.0.0.1:${server.port}`;
  try {
    await waitForHttp(`${server.trpcUrl}/health.live`, 60_000, server.exited);
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return {
    url,
    pid,
    rssKb: () => readRssKb(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    async stop() {
      if (exited) return server.destroy();
      // Let handlers whose client (the load generator) has already hung up finish first:
      // the server's shutdown closes the database under them otherwise (see bench/README.md).
      await sleep(1000);
      child.kill("SIGTERM");
      const stopped = await Promise.race([server.exited.then(() => true), sleep(15_000).then(() => false)]);
      // destroy() sends SIGKILL if SIGTERM was not enough, then removes the data directory.
      if (!stopped) console.error(`${tag} did not stop within 15 s of SIGTERM; killing it`);
      await server.destroy();
    },
  };
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
