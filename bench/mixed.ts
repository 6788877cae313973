/**
 * The mixed workload against TWO server processes sharing Postgres and Redis:
 * 70 % auth.me, 10 % users.me, 10 % users.updateMe, 10 % auth.refresh (each
 * refresh presents the token the previous refresh of that session returned),
 * at 64 and then 256 connections, spread evenly over both instances.
 *
 *   npx tsx bench/mixed.ts      (BENCH_DURATION=30 per phase)
 */
import { hash } from "@node-rs/bcrypt";

import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { loginSessions, printMixed, runMixed } from "./lib/mixed";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";

const DURATION = envInt("BENCH_DURATION", 30);
const PHASES = [64, 256];
const credentials = (vu: number) => ({ email: benchUserEmail(vu + 1), password: PASSWORD });

await withCleanup(async (defer) => {
  printHeader(`mixed workload — 2 servers, ${PHASES.join(" and ")} connections, ${DURATION} s each`);
  const db = await createBenchDatabase("mixed");
  defer(() => db.drop());
  // One user per VU. Cost 4 keeps the 256 set-up logins quick; this run has no logins
  // to measure (bench/login.ts does that), bcrypt takes its cost from the stored hash.
  await seedBenchUsers(db.sql, Math.max(...PHASES), await hash(PASSWORD, 4));

  const servers = [await startServer({ databaseUrl: db.url }), await startServer({ databaseUrl: db.url })];
  for (const server of servers) defer(() => server.stop());
  console.log(`servers: ${servers.map((s) => `${s.url} (pid ${s.pid})`).join(", ")}`);
  const sessions = await loginSessions(servers, Math.max(...PHASES), credentials);

  const warmUp = await runMixed({ servers, sessions, connections: PHASES[0]!, seconds: 5, credentials });
  console.log(`warm-up: ${warmUp.perSecond.toFixed(0)} req/s, 5xx ${warmUp.s5xx}, errors ${warmUp.errors}`);

  let clean = warmUp.s4xx + warmUp.s5xx + warmUp.errors === 0;
  for (const connections of PHASES) {
    const result = await runMixed({ servers, sessions, connections, seconds: DURATION, credentials });
    printMixed(`${connections} connections (${connections / servers.length} per server), ${DURATION} s`, result);
    clean &&= result.s4xx + result.s5xx + result.errors === 0;
  }
  printLoad("at end");
  console.log(`server RSS: ${servers.map((s) => `${(s.rssKb() / 1024).toFixed(0)} MiB`).join(", ")}`);
  console.log(clean ? "\nno 4xx, no 5xx, no errors: target MET" : "\nunexpected 4xx/5xx/errors (see above): target NOT MET");
});
