/**
 * auth.me on one server process against WEB_CONCURRENCY=2 (node:cluster, two
 * workers behind one port), same database and token, interleaved rounds.
 *
 *   npx tsx bench/cluster.ts   (BENCH_ROUNDS=3, BENCH_DURATION=8, BENCH_CONNECTIONS=64, BENCH_WORKERS=2)
 */
import { hash } from "@node-rs/bcrypt";

import { cannon, printCannon, type CannonSummary } from "./lib/cannon";
import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";
import { login } from "./lib/trpc";

const ROUNDS = envInt("BENCH_ROUNDS", 3);
const DURATION = envInt("BENCH_DURATION", 8);
const CONNECTIONS = envInt("BENCH_CONNECTIONS", 64);
const WORKERS = envInt("BENCH_WORKERS", 2);
const TARGET = 1.6;

await withCleanup(async (defer) => {
  printHeader(`auth.me: 1 process vs WEB_CONCURRENCY=${WORKERS} — ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s per side`);
  const db = await createBenchDatabase("cluster");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, 1, await hash(PASSWORD, 12));
  const single = await startServer({ databaseUrl: db.url });
  defer(() => single.stop());
  const multi = await startServer({ databaseUrl: db.url, env: { WEB_CONCURRENCY: String(WORKERS) } });
  defer(() => multi.stop());
  // Signed in on one, used on the other: a session is the database's, not a process's.
  const { accessToken } = await login(single.url, benchUserEmail(1), PASSWORD, ipSequence()());
  const headers = { authorization: `Bearer ${accessToken}` };
  const sides = [
    { name: "1 process", url: single.url },
    { name: `${WORKERS} workers`, url: multi.url },
  ];
  for (const side of sides) await cannon("warm-up", { url: `${side.url}/trpc/auth.me`, headers, connections: CONNECTIONS, duration: 3 });
  const results = new Map<string, CannonSummary[]>(sides.map((s) => [s.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const side of round % 2 ? sides : [...sides].reverse()) {
      const result = await cannon(`auth.me ${side.name} round ${round}`, {
        url: `${side.url}/trpc/auth.me`,
        headers,
        connections: CONNECTIONS,
        duration: DURATION,
      });
      results.get(side.name)?.push(result);
      printCannon(result);
    }
    printLoad(`after round ${round}`);
  }
  const rate = (name: string) => {
    const rounds = results.get(name) ?? [];
    return rounds.reduce((sum, r) => sum + r.s2xx, 0) / rounds.reduce((sum, r) => sum + r.seconds, 0);
  };
  const failures = [...results.values()].flat().reduce((sum, r) => sum + r.s4xx + r.s5xx + r.errors + r.timeouts, 0);
  const [one, many] = sides.map((s) => rate(s.name)) as [number, number];
  console.log(`\n1 process: ${one.toFixed(1)} ok/s | ${WORKERS} workers: ${many.toFixed(1)} ok/s | non-2xx/errors ${failures}`);
  console.log(`scaling: ${(many / one).toFixed(2)}× (target ≥ ${TARGET}× on 2 cores) → ${many / one >= TARGET ? "MET" : "NOT MET"}`);
});
