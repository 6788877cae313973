/**
 * auth.me against its floor: the real server and bench/floor-server.ts (plain
 * node:http doing the same JWT checks, the same query and the same JSON) on
 * the same database and token, in interleaved rounds so both see the same
 * machine; then health.live against a bare node:http server the same way.
 * Prints each round, the totals, the ratios and the load average.
 *
 *   npx tsx bench/auth-me.ts   (BENCH_ROUNDS=3, BENCH_DURATION=8 per round and side, BENCH_CONNECTIONS=64;
 *                               BENCH_ONLY=auth.me or health.live runs one comparison, for quick steps)
 */
import { hash } from "@node-rs/bcrypt";

import { cannon, printCannon, type CannonSummary } from "./lib/cannon";
import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envChoice, envInt, PASSWORD } from "./lib/env";
import { startFloor } from "./lib/floor";
import { ipSequence } from "./lib/ips";
import { readCpuSeconds, startServer } from "./lib/server";
import { printHeader, printLoad } from "./lib/stats";
import { login } from "./lib/trpc";

const ROUNDS = envInt("BENCH_ROUNDS", 3);
const DURATION = envInt("BENCH_DURATION", 8);
const CONNECTIONS = envInt("BENCH_CONNECTIONS", 64);
/** auth.me must reach this share of the floor's throughput (issue 16). */
const AUTH_TARGET = 0.7;
const HEALTH_TARGET = 0.5;
const P99_TARGET_MS = 50;
/** One comparison only, for quick steps. */
const ONLY = envChoice("BENCH_ONLY", ["auth.me", "health.live"] as const);

interface Side {
  name: string;
  url: string;
  /** The process answering, whose CPU time per answer is printed beside its throughput. */
  pid: number;
}

/** A round's figures plus the answering process's CPU time per 2xx, in microseconds. */
type Round = CannonSummary & { cpuMicrosPerOk: number };

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
    const results: Record<string, Round[]> = { [baseline.name]: [], [subject.name]: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first, so neither side always gets the quieter half of a round.
      const order = round % 2 ? [baseline, subject] : [subject, baseline];
      for (const side of order) {
        const cpuBefore = readCpuSeconds(side.pid);
        const summary = await run(`${what} ${side.name} round ${round}`, `${side.url}${path}`, DURATION, auth);
        const result = { ...summary, cpuMicrosPerOk: ((readCpuSeconds(side.pid) - cpuBefore) * 1e6) / Math.max(1, summary.s2xx) };
        results[side.name]!.push(result);
        printCannon(result);
        console.log(`  ${side.name} process CPU per answer: ${result.cpuMicrosPerOk.toFixed(0)} µs`);
      }
      printLoad(`after round ${round}`);
    }
    return { base: total(results[baseline.name]!), subject: total(results[subject.name]!) };
  };

  const me =
    ONLY === "health.live"
      ? undefined
      : await compare(
          "auth.me",
          "/trpc/auth.me",
          { name: "floor", url: floor.url, pid: floor.pid },
          { name: "server", url: server.url, pid: server.pid },
          true,
        );
  const live =
    ONLY === "auth.me"
      ? undefined
      : await compare(
          "health.live",
          "/trpc/health.live",
          { name: "bare", url: bare.url, pid: bare.pid },
          { name: "server", url: server.url, pid: server.pid },
          false,
        );

  console.log("\n## Totals");
  if (me) {
    printTotal("auth.me floor ", me.base);
    printTotal("auth.me server", me.subject);
  }
  if (live) {
    printTotal("health.live bare  ", live.base);
    printTotal("health.live server", live.subject);
  }
  printLoad("at end");
  if (me) {
    const ratio = me.subject.okPerSecond / me.base.okPerSecond;
    const met = ratio >= AUTH_TARGET && me.subject.worstP99 <= P99_TARGET_MS && me.subject.non2xx === 0;
    console.log(
      `auth.me: server/floor = ${ratio.toFixed(3)} (target ≥ ${AUTH_TARGET}), server p99 ≤ ${me.subject.worstP99} ms ` +
        `(target ≤ ${P99_TARGET_MS}), non-2xx ${me.subject.non2xx} → ${met ? "MET" : "NOT MET"}`,
    );
    console.log(
      `auth.me: CPU per answer, floor/server = ${(me.base.cpuMicrosPerOk / me.subject.cpuMicrosPerOk).toFixed(3)} (the server's own cost, unmoved by other load)`,
    );
  }
  if (live) {
    const ratio = live.subject.okPerSecond / live.base.okPerSecond;
    console.log(
      `health.live: server/bare = ${ratio.toFixed(3)} (target ≥ ${HEALTH_TARGET}) → ${ratio >= HEALTH_TARGET ? "MET" : "NOT MET"}`,
    );
  }
  console.log(`server RSS after run: ${(server.rssKb() / 1024).toFixed(0)} MiB`);
});

/** Rounds summed: ok/s over all their seconds, the worst round's p99, every failure. */
function total(rounds: Round[]) {
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const ok = rounds.reduce((sum, r) => sum + r.s2xx, 0);
  return {
    okPerSecond: ok / seconds,
    cpuMicrosPerOk: rounds.reduce((sum, r) => sum + r.cpuMicrosPerOk * r.s2xx, 0) / Math.max(1, ok),
    worstP99: Math.max(...rounds.map((r) => r.p99)),
    p50s: rounds.map((r) => r.p50),
    non2xx: rounds.reduce((sum, r) => sum + r.s4xx + r.s5xx + r.errors + r.timeouts, 0),
  };
}

function printTotal(label: string, t: ReturnType<typeof total>) {
  console.log(
    `${label}: ${t.okPerSecond.toFixed(1)} ok/s | ${t.cpuMicrosPerOk.toFixed(0)} µs CPU per answer | p50 per round ${t.p50s.join(", ")} ms | worst p99 ${t.worstP99} ms | non-2xx/errors ${t.non2xx}`,
  );
}
