import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { signUpAdmin } from "@voiceassist/testing/users";

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUpAdmin>>;

/** Users `<prefix>-<n>@bulk.test` for n = 1..count, one ms apart, in one statement (bcrypt per row would take minutes). */
async function seed(prefix: string, count: number) {
  await server.database.handle.db.execute(sql`
    insert into users (email, full_name, hashed_password, created_at)
    select ${prefix}::text || '-' || n || '@bulk.test', 'Bulk ' || n, 'not-a-usable-hash', now() - interval '1 hour' + n * interval '1 millisecond'
    from generate_series(1, ${count}) as n`);
}

beforeAll(async () => {
  server = await startTestServer();
  await seed("exact", 10_000);
  await seed("over", 10_001);
  admin = await signUpAdmin(server);
}, 120_000);
afterAll(() => server?.close());

/**
 * `total` is exact up to 10 000 matches; above, counting stops and the total
 * is an estimate, flagged, and never below what the count already saw.
 */
describe("users.list total on broad searches", () => {
  it("counts exactly up to 10 000 matches", async () => {
    const page = await admin.client.users.list.query({ search: "exact-", limit: 5 });
    expect(page).toMatchObject({ total: 10_000, totalIsEstimate: false });
    expect(page.items).toHaveLength(5);
    const few = await admin.client.users.list.query({ search: "exact-1234@" });
    expect(few).toMatchObject({ total: 1, totalIsEstimate: false });
  });

  it("estimates above 10 000 matches, flagged, at least 10 001, with the page unaffected", async () => {
    const page = await admin.client.users.list.query({ search: "over-", limit: 3 });
    expect(page.totalIsEstimate).toBe(true);
    expect(page.total).toBeGreaterThanOrEqual(10_001);
    expect(page.items.map((u) => u.email)).toEqual(["over-10001@bulk.test", "over-10000@bulk.test", "over-9999@bulk.test"]);
    // No search: every user (20 001 bulk + the admin) is over the cap too.
    const all = await admin.client.users.list.query({ limit: 1 });
    expect(all.totalIsEstimate).toBe(true);
    expect(all.total).toBeGreaterThanOrEqual(10_001);
  });
});
