import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { createDatabase, migrateDatabase, type DatabaseHandle } from "@voiceassist/db";

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

/** A fresh, migrated database `va_bench_<label>_<random>`; `drop()` removes it. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `va_bench_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = await createDatabase({ url: url.toString(), maxConnections: 4 });
  await migrateDatabase(handle);
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  let dropped = false;
  return {
    name,
    url: url.toString(),
    handle,
    sql,
    async drop() {
      if (dropped) return;
      dropped = true;
      await sql.end({ timeout: 5 });
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
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
