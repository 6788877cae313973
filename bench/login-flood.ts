/**
 * A bystander's login while one client floods the bcrypt queue (review F3).
 * The flood: FLOOD_CONCURRENCY wrong-password logins in flight at all times,
 * each for a fresh unknown email from a fresh IP, so no per-IP or per-account
 * limit stops it and every call costs one bcrypt compare. The bystander signs
 * in with the right password every 500 ms. Two phases in one run, each on a
 * fresh server: the queue unbounded (BCRYPT_MAX_QUEUE=1000000, how the server
 * behaved before the fix) and bounded (the default, 32).
 *
 *   npx tsx bench/login-flood.ts      (BENCH_DURATION=20 seconds per phase)
 */
import { randomUUID } from "node:crypto";

import { hash } from "@node-rs/bcrypt";

import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { ms, printHeader, printLoad, summarize } from "./lib/stats";

const DURATION = envInt("BENCH_DURATION", 20);
const FLOOD_CONCURRENCY = envInt("BENCH_CONNECTIONS", 100);
const BYSTANDER_EVERY_MS = 500;

async function timedLogin(url: string, email: string, password: string, ip: string) {
  const started = performance.now();
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ json: { email, password } }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

async function phase(label: string, databaseUrl: string, maxQueue: string) {
  const server = await startServer({ databaseUrl, env: { BCRYPT_ROUNDS: "12", BCRYPT_MAX_QUEUE: maxQueue } });
  try {
    const nextIp = ipSequence();
    const end = performance.now() + DURATION * 1000;
    const flood = { sent: 0, busy: 0, statuses: new Map<number, number>() };
    const flooder = async () => {
      while (performance.now() < end) {
        const r = await timedLogin(server.url, `flood-${randomUUID()}@bench.test`, "wrong-password-1", nextIp());
        flood.sent++;
        flood.statuses.set(r.status, (flood.statuses.get(r.status) ?? 0) + 1);
      }
    };
    const bystander = { latencies: [] as number[], ok: 0, refused: 0 };
    const bystanderLoop = async () => {
      await new Promise((r) => setTimeout(r, 1000)); // let the flood fill the queue first
      while (performance.now() < end) {
        const r = await timedLogin(server.url, benchUserEmail(1), PASSWORD, nextIp());
        bystander.latencies.push(r.ms);
        if (r.status === 200) bystander.ok++;
        else bystander.refused++;
        await new Promise((resolve) => setTimeout(resolve, BYSTANDER_EVERY_MS));
      }
    };
    await Promise.all([...Array.from({ length: FLOOD_CONCURRENCY }, flooder), bystanderLoop()]);
    const s = summarize(bystander.latencies);
    console.log(
      `${label}: bystander logins ${s.count} (200: ${bystander.ok}, refused: ${bystander.refused}), ` +
        `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; flood calls ${flood.sent} ` +
        `(${[...flood.statuses].map(([code, n]) => `${code}: ${n}`).join(", ")})`,
    );
    return s;
  } finally {
    await server.stop();
  }
}

await withCleanup(async (defer) => {
  printHeader(`login under a bcrypt flood — ${FLOOD_CONCURRENCY} flooding connections, ${DURATION} s per phase, BCRYPT_ROUNDS=12`);
  const db = await createBenchDatabase("flood");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, 1, await hash(PASSWORD, 12));
  const before = await phase("unbounded queue (before)", db.url, "1000000");
  const after = await phase("bounded queue (after, 32)", db.url, "32");
  console.log(`bystander p99, bounded / unbounded: ${(after.p99 / before.p99).toFixed(3)}`);
  printLoad("end");
});
