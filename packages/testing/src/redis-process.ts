import { spawn, type ChildProcess } from "node:child_process";

import { createClient } from "redis";

import { freePort } from "./ports";

/**
 * A private redis-server for fault tests, so the shared one is never
 * touched: it can be killed and started again on the same port.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function start() {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const probe = createClient({ url, socket: { reconnectStrategy: false } });
      probe.on("error", () => {});
      try {
        await probe.connect();
        await probe.ping();
        await probe.close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("private redis-server did not start");
  }

  async function stop() {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  await start();
  return { url, port, start, stop };
}
