import { fileURLToPath } from "node:url";

import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import type { DatabaseHandle, Schema } from "./client";

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/** Arbitrary constant: serialises migrations when several instances start at once. */
const MIGRATION_LOCK_KEY = 7_347_001;

/** Applies every pending migration; a no-op when up to date. Throws on failure. */
export function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  return handle.migrate();
}

/** PGlite: one process owns the database, so its own handle migrates it. */
export async function migrateEmbedded(db: PgliteDatabase<Schema>): Promise<void> {
  await migratePglite(db, { migrationsFolder });
}

/** Postgres: one dedicated connection, so the session-level advisory lock covers the whole migration. */
export async function migrateServer(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}
