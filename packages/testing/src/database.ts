import { randomBytes } from "node:crypto";

import postgres from "postgres";

import { createDatabase, migrateDatabase, type DatabaseHandle } from "@voiceassist/db";
import { testEnv } from "./env";

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Name of the fresh database, undefined for in-memory PGlite. */
  name?: string;
  /** Connection string of the fresh database, undefined for in-memory PGlite. */
  url: string | undefined;
  /** Closes the handle and drops the database; calling it again does nothing. */
  destroy(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** A server to create the database on; `DATABASE_URL` by default, and PGlite in memory when neither is set. */
  adminUrl?: string;
  /** The new database is named `<prefix>_<random>`. */
  prefix?: string;
  /** Pool size of the returned handle. */
  maxConnections?: number;
}

/**
 * A fresh, migrated database per caller so runs never collide: a new
 * database on the given Postgres server (tests, benches), or in-memory PGlite
 * when there is none (the embedded path).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? testEnv.databaseUrl;
  if (!adminUrl) {
    const handle = await createDatabase({});
    await migrateDatabase(handle);
    return { handle, name: undefined, url: undefined, destroy: once(() => handle.close()) };
  }
  const name = `${options.prefix ?? "va_test"}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(adminUrl, name);
  const handle = await createDatabase({ url, maxConnections: options.maxConnections ?? 5 });
  await migrateDatabase(handle);
  return {
    handle,
    name,
    url,
    destroy: once(async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }),
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function once(step: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= step());
}
