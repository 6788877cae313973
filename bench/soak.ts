/**
 * 5-minute soak: the mixed workload at a moderate, fixed rate against two
 * servers; RSS (VmRSS) of each server process sampled every 10 s and
 * summarised per minute (min / max: garbage collection makes RSS a sawtooth,
 * the per-minute minimum is the level it keeps coming back to).
 *
 *   npx tsx bench/soak.ts      (BENCH_DURATION=300, BENCH_RATE=200, BENCH_CONNECTIONS=32)
 */
import { hash } from "@node-rs/bcrypt";

import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { loginSessions, printMixed, runMixed } from "./lib/mixed";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";

const DURATION = envInt("BENCH_DURATION", 300);
const RATE = envInt("BENCH_RATE", 200);
const CONNECTIONS = envInt("BENCH_CONNECTIONS", 32);
const SAMPLE_EVERY = 10;
const credentials = (vu: number) => ({ email: benchUserEmail(vu + 1), password: PASSWORD });

await withCleanup(async (defer) => {
  printHeader(`soak — mixed workload, 2 servers, ${CONNECTIONS} connections, ${RATE} req/s, ${DURATION} s`);
  const db = await createBenchDatabase("soak");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, CONNECTIONS, await hash(PASSWORD, 4)); // cost 4: quick set-up logins

  const servers = [await startServer({ databaseUrl: db.url }), await startServer({ databaseUrl: db.url })];
  for (const server of servers) defer(() => server.stop());
  const sessions = await loginSessions(servers, CONNECTIONS, credentials);

  const rss: Array<{ t: number; kb: number[] }> = [];
  const sample = (t: number) => rss.push({ t, kb: servers.map((s) => s.rssKb()) });
  sample(0);
  const result = await runMixed({
    servers,
    sessions,
    connections: CONNECTIONS,
    seconds: DURATION,
    rate: RATE,
    credentials,
    onSecond: (t) => t > 0 && t % SAMPLE_EVERY === 0 && t < DURATION && sample(t),
  });
  sample(Math.round(result.seconds));
  printLoad("at end");
  printMixed(`soak, ${CONNECTIONS} connections at ${RATE} req/s`, result);

  const mib = (kb: number) => (kb / 1024).toFixed(1);
  const minutes = Math.ceil(DURATION / 60);
  const window = (m: number) => rss.filter((r) => r.t >= m * 60 && r.t < (m + 1) * 60 + (m === minutes - 1 ? 1 : 0));
  console.log(
    `\n| minute | ${servers.map((_, i) => `server ${i + 1} RSS min–max (MiB)`).join(" | ")} |\n|---|${servers.map(() => "---").join("|")}|`,
  );
  for (let m = 0; m < minutes; m++) {
    const w = window(m);
    const cells = servers.map((_, i) => `${mib(Math.min(...w.map((r) => r.kb[i]!)))}–${mib(Math.max(...w.map((r) => r.kb[i]!)))}`);
    console.log(`| ${m}–${m + 1} | ${cells.join(" | ")} |`);
  }
  // Flat = the floor of the last minute is within 10 % of the floor of minute 1–2 (after warm-up).
  servers.forEach((server, i) => {
    const floor = (m: number) => Math.min(...window(m).map((r) => r.kb[i]!));
    const early = floor(1);
    const late = floor(minutes - 1);
    const growth = (late - early) / early;
    console.log(
      `server ${i + 1} (pid ${server.pid}): RSS at start ${mib(rss[0]!.kb[i]!)} MiB, at end ${mib(rss[rss.length - 1]!.kb[i]!)} MiB; ` +
        `floor minute 1–2 ${mib(early)} MiB → last minute ${mib(late)} MiB (${(growth * 100).toFixed(1)} %): ${growth < 0.1 ? "flat" : "GROWING"}`,
    );
  });
});
