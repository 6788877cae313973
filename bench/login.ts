/**
 * Login throughput at 8 connections (BCRYPT_ROUNDS=12) next to the raw
 * @node-rs/bcrypt compare throughput of this machine, measured first in this
 * process, before the server starts. While logins saturate the CPU, two
 * low-rate probes measure what other users see: health.live (no dependency)
 * and auth.me (JWT verify + one query).
 *
 *   npx tsx bench/login.ts      (BENCH_DURATION=30, BENCH_RAW_SECONDS=15)
 */
import { compare, hash } from "@node-rs/bcrypt";

import { cannon, printCannon } from "./lib/cannon";
import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD, THREADPOOL_SIZE } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";
import { login } from "./lib/trpc";

const DURATION = envInt("BENCH_DURATION", 30);
const RAW_SECONDS = envInt("BENCH_RAW_SECONDS", 15);
const LOGIN_CONNECTIONS = 8;
/** libuv's pool size decides how many bcrypt compares run at once, in the server as here. */
const POOL = THREADPOOL_SIZE;
const PROBE_RATE = 20; // requests per second, per probe
/** Login throughput must stay at this share of raw bcrypt verify throughput (issue 16; 90 % before it). */
const LOGIN_TARGET = 0.95;

/** Compares per second with POOL compares in flight at all times, and CPU seconds per compare. */
async function rawCompareRate(hashed: string, seconds: number) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      if (!(await compare(PASSWORD, hashed))) throw new Error("compare returned false");
      done++;
    }
  };
  await Promise.all(Array.from({ length: POOL }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: done / ((performance.now() - start) / 1000), cpuPerCompare: (cpu.user + cpu.system) / 1e6 / done };
}

await withCleanup(async (defer) => {
  printHeader(`login — ${LOGIN_CONNECTIONS} connections, ${DURATION} s, BCRYPT_ROUNDS=12, UV_THREADPOOL_SIZE=${POOL}`);
  const hashed = await hash(PASSWORD, 12);

  await rawCompareRate(hashed, 1); // warm-up
  const { perSecond: raw, cpuPerCompare } = await rawCompareRate(hashed, RAW_SECONDS);
  console.log(
    `raw @node-rs/bcrypt compare (cost 12, ${POOL} in flight, ${RAW_SECONDS} s): ${raw.toFixed(2)} /s, ${(cpuPerCompare * 1000).toFixed(0)} ms CPU each`,
  );

  const db = await createBenchDatabase("login");
  defer(() => db.drop());
  // User 1 signs in over and over; the auth.me probe is user 2, whose session the per-user cap
  // (MAX_SESSIONS_PER_USER, 20) on user 1's sessions never evicts.
  await seedBenchUsers(db.sql, 2, hashed);
  const server = await startServer({ databaseUrl: db.url, env: { BCRYPT_ROUNDS: "12" } });
  defer(() => server.stop());

  const nextIp = ipSequence();
  const { accessToken } = await login(server.url, benchUserEmail(2), PASSWORD, nextIp());
  const probe = (title: string, path: string, headers: Record<string, string>, duration: number) =>
    cannon(title, { url: server.url + path, headers, connections: 2, overallRate: PROBE_RATE, duration });
  const healthProbe = (title: string, duration: number) => probe(title, "/trpc/health.live", {}, duration);
  const meProbe = (title: string, duration: number) => probe(title, "/trpc/auth.me", { authorization: `Bearer ${accessToken}` }, duration);

  const [idleHealth, idleMe] = await Promise.all([healthProbe("health.live, idle", 5), meProbe("auth.me, idle", 5)]);

  const cpuBefore = server.cpuSeconds();
  const loginLoad = cannon("auth.login", {
    url: `${server.url}/trpc/auth.login`,
    connections: LOGIN_CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: benchUserEmail(1), password: PASSWORD } }),
        // A new client IP per attempt: the login limit is 10/min per IP.
        setupRequest: (request: { headers: Record<string, string> }) => {
          request.headers["x-forwarded-for"] = nextIp();
          return request;
        },
      },
    ],
  });
  // Probes start once the pool is busy and stop before the login load does.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const [busyHealth, busyMe] = await Promise.all([
    healthProbe("health.live, under login load", DURATION - 4),
    meProbe("auth.me, under login load", DURATION - 4),
  ]);
  const logins = await loginLoad;
  const cpuPerLogin = (server.cpuSeconds() - cpuBefore) / logins.s2xx; // includes the two light probes
  printLoad("at end");

  console.log("");
  printCannon(logins);
  for (const s of [idleHealth, busyHealth, idleMe, busyMe]) printCannon(s);
  console.log("");
  const ratio = logins.okPerSecond / raw;
  console.log(
    `login / raw compare = ${logins.okPerSecond.toFixed(2)} / ${raw.toFixed(2)} = ${(ratio * 100).toFixed(1)} % (target >= ${LOGIN_TARGET * 100} %): ${ratio >= LOGIN_TARGET ? "MET" : "NOT MET"}`,
  );
  // Wall-clock rates move with whatever else runs on the machine; CPU per operation much less so.
  console.log(
    `CPU per login (server process) / CPU per raw compare = ${(cpuPerLogin * 1000).toFixed(0)} ms / ${(cpuPerCompare * 1000).toFixed(0)} ms ` +
      `→ login can reach ${((cpuPerCompare / cpuPerLogin) * 100).toFixed(1)} % of raw verify throughput when CPU-bound`,
  );
  console.log(`health.live p99 under login load = ${busyHealth.p99} ms (target < 25 ms): ${busyHealth.p99 < 25 ? "MET" : "NOT MET"}`);
  const failures = logins.s4xx + logins.s5xx + logins.errors + logins.timeouts;
  console.log(failures === 0 ? "all logins 2xx" : `FAILED logins: ${failures}`);
});
