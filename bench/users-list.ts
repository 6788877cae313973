/**
 * users.list search latency on 100 000 users, through the HTTP API as an
 * admin, one call at a time; then EXPLAIN (ANALYZE, BUFFERS) of the SQL that
 * listUsers really sends (captured from drizzle) for each search term.
 *
 * Two rounds: (A) no nextcloud_provisioning rows (Nextcloud not configured),
 * (B) one provisioning row per user (what a deployment with Nextcloud has).
 *
 *   npx tsx bench/users-list.ts      (BENCH_USERS=100000, BENCH_CALLS=200)
 */
import { drizzle } from "drizzle-orm/postgres-js";

import { createAdmin, createPasswordHasher } from "@voiceassist/api";
import type { Database } from "@voiceassist/db";

import { listUsers } from "../packages/api/src/services/admin-user-views";
import { withCleanup } from "./lib/cleanup";
import { createBenchDatabase } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { ms, printHeader, printLoad, summarize } from "./lib/stats";
import { login, queryPath } from "./lib/trpc";

const USERS = envInt("BENCH_USERS", 100_000);
const CALLS = envInt("BENCH_CALLS", 200);
const MAX_SECONDS_PER_TERM = 30;
/** Never used to log in; any well-formed cost-12 bcrypt string does. */
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5rLw2ZyG0J5k0cGZpS9lJk3G/EnuYda";

const TERMS: Array<[label: string, search: string | undefined]> = [
  ["no search (plain newest-first page)", undefined],
  ["email, one user", ".42424@"],
  ["email domain, 20 % of rows", "@example.org"],
  ["full name, ~250 rows", "maria garcia"],
  ["two letters (no trigram)", "li"],
  // Rare and short: no trigram and no early stop, so both queries read every row.
  ["two letters, no match (no trigram)", "zq"],
  ["no match", "zzqxj"],
  ["with % (literal)", "100%"],
  ["with _ (literal)", "maria_garcia"],
];

async function seed(sql: import("postgres").Sql) {
  // first = n % 20, last = (n / 20) % 20, domain = (n / 400) % 5; every 100th email uses "_",
  // every 1000th name contains "100%", every 10th has no name; one second apart, newest = 1.
  // VACUUM flushes the trigram indexes' GIN pending lists, as autovacuum eventually would.
  await sql`
    insert into users (email, full_name, hashed_password, created_at, updated_at)
    select f || case when n % 100 = 0 then '_' else '.' end || l || '.' || n || '@' || d,
           case when n % 10 = 7 then null
                when n % 1000 = 1 then initcap(f) || ' ' || initcap(l) || ' 100% Club'
                else initcap(f) || ' ' || initcap(l) end,
           ${DUMMY_HASH}, now() - n * interval '1 second', now() - n * interval '1 second'
    from generate_series(1, ${USERS}) as n,
    lateral (select
      (array['maria','james','li','wei','anna','john','fatima','ahmed','olga','ivan',
             'sofia','lucas','emma','noah','mia','liam','yuki','hiro','sara','omar'])[1 + n % 20] as f,
      (array['garcia','smith','wang','chen','muller','kowalski','rossi','silva','kim','nguyen',
             'brown','jones','ivanova','sato','khan','ali','novak','dubois','jensen','popescu'])[1 + (n / 20) % 20] as l,
      (array['example.com','example.org','mail.test','corp.example','uni.example'])[1 + (n / 400) % 5] as d) as names`;
  await sql`vacuum analyze users`;
}

/** Round B: every user has a provisioning row, as when NEXTCLOUD_URL is set. */
async function seedProvisioning(sql: import("postgres").Sql) {
  await sql`
    insert into nextcloud_provisioning (user_id, state, provisioned_at)
    select id, 'provisioned', now() from users`;
  await sql`vacuum analyze nextcloud_provisioning`;
}

/** The statements listUsers sends for one query, with their parameters. */
async function captureSql(client: import("postgres").Sql, search: string | undefined) {
  const captured: Array<{ query: string; params: unknown[] }> = [];
  const db = drizzle({ client, casing: "snake_case", logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  await listUsers({ db: db as unknown as Database }, { search, limit: 20, offset: 0 });
  return captured;
}

await withCleanup(async (defer) => {
  printHeader(`users.list — ${USERS} users, ${CALLS} sequential calls per term, limit 20, via HTTP as admin`);
  const db = await createBenchDatabase("users");
  defer(() => db.drop());
  const started = performance.now();
  await seed(db.sql);
  const admin = { email: "bench-admin@bench.test", password: PASSWORD };
  await createAdmin({ db: db.handle.db, passwords: createPasswordHasher(12), nextcloudProvisioning: false }, admin);
  console.log(`seeded ${USERS} users + 1 admin and analyzed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The bench admin signs in with a password only (production defaults to requiring a second factor).
  const server = await startServer({ databaseUrl: db.url, env: { MFA_REQUIRED_FOR_ADMINS: "false" } });
  defer(() => server.stop());
  const { accessToken } = await login(server.url, admin.email, admin.password, ipSequence()());
  const headers = { authorization: `Bearer ${accessToken}` };

  const call = async (search: string | undefined) => {
    const t0 = performance.now();
    const res = await fetch(server.url + queryPath("users.list", search === undefined ? { limit: 20 } : { search, limit: 20 }), {
      headers,
    });
    const body = (await res.json()) as { result?: { data: { json: { items: unknown[]; total: number; totalIsEstimate: boolean } } } };
    if (!res.ok || !body.result) throw new Error(`users.list ${JSON.stringify(search)}: HTTP ${res.status} ${JSON.stringify(body)}`);
    return { elapsed: performance.now() - t0, ...body.result.data.json };
  };

  const explain = async (query: string, params: unknown[]) => {
    console.log(`\n-- ${query}\n-- params: ${JSON.stringify(params)}`);
    const plan = await db.sql.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
    for (const line of plan) console.log(line["QUERY PLAN"]);
  };

  const round = async (title: string) => {
    console.log(`\n# Round ${title}\n\n| term | search | total | calls | p50 | p99 | max |\n|---|---|---|---|---|---|---|`);
    let worstP99 = 0;
    for (const [label, search] of TERMS) {
      for (let i = 0; i < 10; i++) await call(search); // warm-up
      const samples: number[] = [];
      let total = 0;
      let estimate = false;
      const began = performance.now();
      while (samples.length < CALLS && performance.now() - began < MAX_SECONDS_PER_TERM * 1000) {
        const result = await call(search);
        samples.push(result.elapsed);
        total = result.total;
        estimate = result.totalIsEstimate;
      }
      // The API must match text literally: count the same rows with strpos (no LIKE at all).
      const needle = search?.trim().toLowerCase() ?? "";
      const [{ expected }] = await db.sql<[{ expected: number }]>`
        select count(*)::int as expected from users
        where strpos(lower(email), ${needle}) > 0 or strpos(lower(full_name), ${needle}) > 0`;
      const s = summarize(samples);
      worstP99 = Math.max(worstP99, s.p99);
      // Exact up to 10 000 matches; above, an estimate (flagged) that is at least 10 001.
      const right = estimate ? expected > 10_000 && total > 10_000 : total === expected;
      const shown = `${estimate ? `~${total} (estimate; exact ${expected})` : total}${right ? "" : ` (WRONG: exact ${expected})`}`;
      console.log(
        `| ${label} | ${search === undefined ? "—" : `\`${search}\``} | ${shown} | ${s.count} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`,
      );
    }
    printLoad("after the timings");
    console.log(`worst p99 ${ms(worstP99)} (target: well under 50 ms): ${worstP99 < 50 ? "MET" : "NOT MET"}`);

    for (const [label, search] of TERMS) {
      console.log(
        `\n## EXPLAIN (ANALYZE, BUFFERS), round ${title.split(" ")[0]}: ${label} ${search === undefined ? "" : JSON.stringify(search)}`,
      );
      for (const { query, params } of await captureSql(db.sql, search)) {
        // The estimate's own EXPLAIN (totals over 10 000) is shown as the plan it asks for.
        if (query.startsWith("explain")) console.log(`\n-- ${query}\n-- params: ${JSON.stringify(params)}`);
        else await explain(query, params);
      }
    }
  };

  await round("A — no nextcloud_provisioning rows");
  await seedProvisioning(db.sql);
  await round("B — one nextcloud_provisioning row per user");
});
