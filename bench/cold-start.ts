/**
 * Cold start of `npm run start:server` on the embedded default (PGlite, no
 * Redis): from spawning the command to the first 200 from health.live, on a
 * fresh data directory and then again on the one it left behind. Each
 * measurement is repeated (BENCH_RUNS, default 3) and the median printed.
 *
 *   npx tsx bench/cold-start.ts
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { minimalChildEnv } from "@voiceassist/testing/env";
import { freePort } from "@voiceassist/testing/ports";
import { plainRequest, REPO_ROOT } from "@voiceassist/testing/server-process";

import { withCleanup } from "./lib/cleanup";
import { envInt, sleep } from "./lib/env";
import { printHeader, printLoad } from "./lib/stats";

const RUNS = envInt("BENCH_RUNS", 3);
/** Fresh-directory and existing-data targets of issue 16, in ms. */
const TARGETS = { fresh: 3000, existing: 1500 };

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["run", "--silent", "start:server"], {
    cwd: REPO_ROOT,
    env: { ...minimalChildEnv(), INIT_CWD: dataDir, DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let exited = false;
  child.once("exit", () => (exited = true));
  try {
    while (!exited) {
      const ok = await plainRequest(`http://127.0.0.1:${port}/trpc/health.live`, { timeoutMs: 1000 }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      await sleep(10);
    }
    throw new Error("server exited before it became healthy");
  } finally {
    // npm and the server it started: the whole process group, then wait for the data-dir lock to go.
    if (child.pid !== undefined && !exited) process.kill(-child.pid, "SIGTERM");
    while (!exited) await sleep(20);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await withCleanup(async (defer) => {
  printHeader(`cold start of npm run start:server (embedded), ${RUNS} runs each`);
  const fresh: number[] = [];
  const existing: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dataDir = await mkdtemp(join(tmpdir(), "va-cold-"));
    defer(() => rm(dataDir, { recursive: true, force: true }));
    fresh.push(await startOnce(dataDir));
    existing.push(await startOnce(dataDir));
    console.log(`run ${run + 1}: fresh ${fresh[run]!.toFixed(0)} ms, existing data ${existing[run]!.toFixed(0)} ms`);
  }
  printLoad("at end");
  const report = (what: keyof typeof TARGETS, values: number[]) =>
    console.log(
      `${what}: median ${median(values).toFixed(0)} ms (target < ${TARGETS[what]} ms) → ${median(values) < TARGETS[what] ? "MET" : "NOT MET"}`,
    );
  report("fresh", fresh);
  report("existing", existing);
});
