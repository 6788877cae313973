import { readFileSync } from "node:fs";
import { join } from "node:path";

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase } from "./client";
import { isUniqueViolation } from "./errors";
import { migrateDatabase, migrationsFolder } from "./migrate";
import { users } from "./schema";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { testEnv } from "@voiceassist/testing/env";

describe(`database (${testEnv.databaseUrl ? "postgres" : "pglite"})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb.destroy());

  it("re-running the migrations is a no-op", async () => {
    const count = async () => (await testDb.handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown;
    const before = JSON.stringify(await count());
    await migrateDatabase(testDb.handle);
    expect(JSON.stringify(await count())).toBe(before);
  });

  it("enforces case-insensitive email uniqueness in the database", async () => {
    const { db } = testDb.handle;
    await db.insert(users).values({ email: "Case@Example.com", hashedPassword: "x" });
    const error = await db
      .insert(users)
      .values({ email: "case@example.COM", hashedPassword: "x" })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("defaults new users to active non-admins with timestamps", async () => {
    const [row] = await testDb.handle.db.insert(users).values({ email: "defaults@example.com", hashedPassword: "x" }).returning();
    expect(row).toMatchObject({ isActive: true, isAdmin: false, lastLogin: null, fullName: null });
    expect(row?.createdAt).toBeInstanceOf(Date);
  });

  it.runIf(Boolean(testEnv.databaseUrl))("serialises concurrent migrations from several instances", async () => {
    const a = await createDatabase({ url: testDb.url! });
    const b = await createDatabase({ url: testDb.url! });
    // From an empty database, so that both instances really have migrations to apply.
    await a.db.execute(sql`drop schema drizzle cascade; drop schema public cascade; create schema public`);
    await Promise.all([migrateDatabase(a), migrateDatabase(b)]);
    // Each migration recorded once: neither instance applied one the other had already applied.
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
    const rows = await a.db.execute(sql`select hash from drizzle.__drizzle_migrations`);
    expect(rows).toHaveLength(journal.entries.length);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("isUniqueViolation", () => {
  it("follows the cause chain and ignores other codes", () => {
    expect(isUniqueViolation(new Error("x", { cause: { code: "23505" } }))).toBe(true);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isUniqueViolation(new Error("duplicate key value violates unique constraint"))).toBe(false);
  });
});

describe("embedded PGlite on disk", () => {
  it("persists across reopen", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "va-pglite-"));
    try {
      const first = await createDatabase({ dataDir: dir });
      await migrateDatabase(first);
      await first.db.insert(users).values({ email: "disk@example.com", hashedPassword: "x" });
      await first.close();
      const second = await createDatabase({ dataDir: dir });
      await migrateDatabase(second);
      const rows = await second.db.select().from(users);
      expect(rows.map((r) => r.email)).toEqual(["disk@example.com"]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
