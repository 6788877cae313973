/**
 * auth.me against its floor: the real server and bench/floor-server.ts (plain
 * node:http doing the same JWT checks, the same query and the same JSON) on
 * the same database and token, in interleaved rounds so both see the same
 * machine; then health.live against a bare node:http server the same way.
 * Prints each round, the totals, the ratios and the load average.
 *
 *   npx tsx bench/auth-me.ts   (BENCH_ROUNDS=3, BENCH_DURATION=8 per round and side, BENCH_CONNECTIONS=64)
 */
import { hash } from "@node-rs/bcrypt";

import { cannon, printCannon, type CannonSummary } from "./lib/cannon";
import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { startFloor } from "./lib/floor";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";
import { login } from "./lib/trpc";

const ROUNDS = envInt("BENCH_ROUNDS", 3);
const DURATION = envInt("BENCH_DURATION", 8);
const CONNECTIONS = envInt("BENCH_CONNECTIONS", 64);
/** auth.me must reach this share of the floor's throughput (issue 16). */
const AUTH_TARGET = 0.7;
const HEALTH_TARGET = 0.5;
const P99_TARGET_MS = 50;

interface Side {
  name: string;
  url: string;
}

await withCleanup(async (defer) => {
  printHeader(`auth.me vs floor — ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION} s per side`);
  const db = await createBenchDatabase("authme");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, 1, await hash(PASSWORD, 12));

  const server = await startServer({ databaseUrl: db.url });
  defer(() => server.stop());
  const floor = await startFloor("auth", db.url);
  defer(() => floor.stop());
  const bare = await startFloor("bare");
  defer(() => bare.stop());
  const { accessToken } = await login(server.url, benchUserEmail(1), PASSWORD, ipSequence()());
  const headers = { authorization: `Bearer ${accessToken}` };

  // Same work, same answer: the floor must return the very bytes the server does.
  const [serverBody, floorBody] = await Promise.all(
    [server.url, floor.url].map(async (url) => (await fetch(`${url}/trpc/auth.me`, { headers })).text()),
  );
  if (serverBody !== floorBody) throw new Error(`floor and server disagree:\n${serverBody}\n${floorBody}`);

  const run = (title: string, url: string, duration: number, auth: boolean) =>
    cannon(title, { url, connections: CONNECTIONS, duration, ...(auth ? { headers } : {}) });

  for (const side of [floor.url, server.url]) await run("warm-up", `${side}/trpc/auth.me`, 3, true);

  const compare = async (what: string, path: string, baseline: Side, subject: Side, auth: boolean) => {
    const results: Record<string, CannonSummary[]> = { [baseline.name]: [], [subject.name]: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first, so neither side always gets the quieter half of a round.
      const order = round % 2 ? [baseline, subject] : [subject, baseline];
      for (const side of order) {
        const result = await run(`${what} ${side.name} round ${round}`, `${side.url}${path}`, DURATION, auth);
        results[side.name]!.push(result);
        printCannon(result);
      }
      printLoad(`after round ${round}`);
    }
    return { base: total(results[baseline.name]!), subject: total(results[subject.name]!) };
  };

  const me = await compare("auth.me", "/trpc/auth.me", { name: "floor", url: floor.url }, { name: "server", url: server.url }, true);
  const live = await compare(
    "health.live",
    "/trpc/health.live",
    { name: "bare", url: bare.url },
    { name: "server", url: server.url },
    false,
  );

  const meRatio = me.subject.okPerSecond / me.base.okPerSecond;
  const liveRatio = live.subject.okPerSecond / live.base.okPerSecond;
  console.log("\n## Totals");
  printTotal("auth.me floor ", me.base);
  printTotal("auth.me server", me.subject);
  printTotal("health.live bare  ", live.base);
  printTotal("health.live server", live.subject);
  printLoad("at end");
  const meOk = meRatio >= AUTH_TARGET && me.subject.worstP99 <= P99_TARGET_MS && me.subject.non2xx === 0;
  console.log(
    `auth.me: server/floor = ${meRatio.toFixed(3)} (target ≥ ${AUTH_TARGET}), server p99 ≤ ${me.subject.worstP99} ms ` +
      `(target ≤ ${P99_TARGET_MS}), non-2xx ${me.subject.non2xx} → ${meOk ? "MET" : "NOT MET"}`,
  );
  console.log(
    `health.live: server/bare = ${liveRatio.toFixed(3)} (target ≥ ${HEALTH_TARGET}) → ${liveRatio >= HEALTH_TARGET ? "MET" : "NOT MET"}`,
  );
  console.log(`server RSS after run: ${(server.rssKb() / 1024).toFixed(0)} MiB`);
});

/** Rounds summed: ok/s over all their seconds, the worst round's p99, every failure. */
function total(rounds: CannonSummary[]) {
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const ok = rounds.reduce((sum, r) => sum + r.s2xx, 0);
  return {
    okPerSecond: ok / seconds,
    worstP99: Math.max(...rounds.map((r) => r.p99)),
    p50s: rounds.map((r) => r.p50),
    non2xx: rounds.reduce((sum, r) => sum + r.s4xx + r.s5xx + r.errors + r.timeouts, 0),
  };
}

function printTotal(label: string, t: ReturnType<typeof total>) {
  console.log(
    `${label}: ${t.okPerSecond.toFixed(1)} ok/s | p50 per round ${t.p50s.join(", ")} ms | worst p99 ${t.worstP99} ms | non-2xx/errors ${t.non2xx}`,
  );
}
