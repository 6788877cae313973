/**
 * auth.me throughput and latency: 64 connections against one real server
 * (Postgres + Redis), one logged-in session, every request authenticated.
 *
 *   npx tsx bench/auth-me.ts            (BENCH_DURATION=20, BENCH_CONNECTIONS=64)
 */
import { hash } from "@node-rs/bcrypt";

import { cannon, printCannon } from "./lib/cannon";
import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";
import { login } from "./lib/trpc";

const DURATION = envInt("BENCH_DURATION", 20);
const CONNECTIONS = envInt("BENCH_CONNECTIONS", 64);

await withCleanup(async (defer) => {
  printHeader(`auth.me — ${CONNECTIONS} connections, ${DURATION} s, one server (Postgres + Redis)`);
  const db = await createBenchDatabase("authme");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, 1, await hash(PASSWORD, 12));

  const server = await startServer({ databaseUrl: db.url });
  defer(() => server.stop());
  const { accessToken } = await login(server.url, benchUserEmail(1), PASSWORD, ipSequence()());

  const options = {
    url: `${server.url}/trpc/auth.me`,
    headers: { authorization: `Bearer ${accessToken}` },
    connections: CONNECTIONS,
  };
  await cannon("warm-up", { ...options, duration: 3 });
  // For scale: the same server and connections on a procedure with no auth and no database.
  const live = await cannon("health.live (reference)", { url: `${server.url}/trpc/health.live`, connections: CONNECTIONS, duration: 5 });
  const result = await cannon("auth.me", { ...options, duration: DURATION });
  printLoad("at end");
  printCannon(live);
  printCannon(result);
  console.log(`server RSS after run: ${(server.rssKb() / 1024).toFixed(0)} MiB`);
  const ok = result.s5xx === 0 && result.s4xx === 0 && result.errors === 0 && result.timeouts === 0;
  console.log(ok ? "all responses 2xx" : "FAILURES: see counts above");
});
