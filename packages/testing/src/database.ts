import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { createDatabase, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Connection string of the fresh database, undefined for in-memory PGlite. */
  url: string | undefined;
  /** Closes the handle and drops the database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database per caller so test runs never collide:
 * a new database on the server `DATABASE_URL` points at, or in-memory PGlite
 * when it is unset (the embedded path).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const handle = await createDatabase({});
    await migrateDatabase(handle);
    return { handle, url: undefined, destroy: () => handle.close() };
  }
  const name = `va_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const handle = await createDatabase({ url, maxConnections: 5 });
  await migrateDatabase(handle);
  return {
    handle,
    url,
    destroy: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
