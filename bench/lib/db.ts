import postgres from "postgres";

import type { DatabaseHandle } from "@voiceassist/db";
import { createTestDatabase } from "@voiceassist/testing/database";

import { ADMIN_DATABASE_URL } from "./env";

export interface BenchDatabase {
  name: string;
  url: string;
  /** A migrated drizzle handle (small pool) for seeding from the bench process. */
  handle: DatabaseHandle;
  /** Raw postgres.js client on the same database, for SQL the services do not expose. */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh, migrated database `va_bench_<label>_<random>` on the bench's Postgres; `drop()` removes it. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const database = await createTestDatabase({ adminUrl: ADMIN_DATABASE_URL, prefix: `va_bench_${label}`, maxConnections: 4 });
  const { name, url } = database;
  if (!name || !url) throw new Error("a bench database must be on Postgres");
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  let dropped = false;
  return {
    name,
    url,
    handle: database.handle,
    sql,
    async drop() {
      if (dropped) return;
      dropped = true;
      await sql.end({ timeout: 5 });
      await database.destroy();
    },
  };
}

/**
 * Inserts `count` ordinary users `bench-user-<n>@bench.test` (n = 1..count)
 * sharing one password hash, in one statement (hashing each would take minutes).
 */
export async function seedBenchUsers(sql: postgres.Sql, count: number, hashedPassword: string) {
  await sql`
    insert into users (email, full_name, hashed_password)
    select 'bench-user-' || n || '@bench.test', 'Bench User ' || n, ${hashedPassword}
    from generate_series(1, ${count}) as n`;
}

export const benchUserEmail = (n: number) => `bench-user-${n}@bench.test`;
