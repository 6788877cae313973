import { existsSync } from "node:fs";
import { join } from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";

import { migrateEmbedded, migrateServer } from "./migrate";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The driver-neutral database handle: the rest of the code never knows which driver it has. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface DatabaseOptions {
  /** A real PostgreSQL server through postgres.js; unset → embedded PGlite. */
  url?: string;
  maxConnections?: number;
  /** PGlite's data directory; unset keeps it in memory (tests). */
  dataDir?: string;
  /**
   * PGlite: a tarball from `pgliteTemplate()` to start an empty data
   * directory from, instead of running initdb (the slowest part of a first
   * start). Only called when the directory holds no database yet, so an
   * existing one does not pay for reading the tarball (~40 MB).
   */
  template?: () => Promise<Blob | undefined>;
  /**
   * Postgres cancels any statement running longer (SQLSTATE 57014), so a lock
   * wait or a stalled query fails in bounded time. 0 disables. Default 5000.
   */
  statementTimeoutMs?: number;
  /** Give up opening a connection after this long (postgres.js CONNECT_TIMEOUT). Default 5000. */
  connectTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  /** What it was created from (migrations need a dedicated connection to the same place). */
  options: DatabaseOptions;
  /** Applies pending migrations the way this driver needs (see migrate.ts). */
  migrate(): Promise<void>;
  /** Round trip to the database; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Closes the connections; calling it again is a no-op. */
  close(): Promise<void>;
}

const drizzleOptions = { schema, casing: "snake_case" } as const;

export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      connect_timeout: (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000,
      // A startup parameter: every pooled connection has it from its first statement on.
      connection: { statement_timeout: Math.round(options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS) },
      idle_timeout: 30,
      // The default backoff grows to ~20 s across the pool after a short
      // outage; reconnect quickly instead (capped at 1 s) so calls fail or
      // succeed within a bounded time after a Postgres restart.
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, ...drizzleOptions });
    const url = options.url;
    return {
      db,
      driver: "postgres",
      options,
      migrate: () => migrateServer(url),
      ping: async () => void (await db.execute(sql`select 1`)),
      close: once(() => client.end({ timeout: 5 })),
    };
  }
  const fresh = options.dataDir !== undefined && !existsSync(join(options.dataDir, "PG_VERSION"));
  const template = fresh ? await options.template?.() : undefined;
  const client = await PGlite.create(options.dataDir, {
    extensions: { pg_trgm },
    ...(template ? { loadDataDir: template } : {}),
  });
  const db = drizzlePglite({ client, ...drizzleOptions });
  return {
    db,
    driver: "pglite",
    options,
    migrate: () => migrateEmbedded(db),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: once(() => client.close()),
  };
}

/**
 * An initialised, migrated, empty PGlite database as a tarball: what a fresh
 * data directory can start from (see `template`). Migrations added later
 * still run on top of it at start.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const client = await PGlite.create({ extensions: { pg_trgm } });
  try {
    await migrateEmbedded(drizzlePglite({ client, ...drizzleOptions }));
    return await client.dumpDataDir("none");
  } finally {
    await client.close();
  }
}

function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
