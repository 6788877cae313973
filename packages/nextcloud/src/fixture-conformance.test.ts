// The fake must answer each captured request the way the real Nextcloud 29.0.1 did.
import { describe, expect, it } from "vitest";
import { parseBody } from "./ocs";
import { fixtureNames, fixtureRequests, fixtureTable, loadFixture } from "../test/support/fixtures";
import type { CurlRequest, HttpFixture } from "../test/support/fixtures";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { SeedUser } from "@voiceassist/testing/nextcloud";

const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
const USER_PASSWORD = "Str0ng-Pass-for-Tests!";
const table = fixtureTable();
const requests = fixtureRequests();

// ncuser_v1_json → "NC User v1 json", as the capture script created them.
function seedUser(id: string): SeedUser {
  const label = id.replace(/^ncuser_/, "NC User ").replace(/_/g, " ");
  return { id, password: USER_PASSWORD, displayName: label, email: `${id}@example.com` };
}

/** Users that existed on the real server when the fixture was captured. */
function seedsFor(file: string, req: CurlRequest, fixture: HttpFixture): SeedUser[] {
  const plain: SeedUser = { id: "plainuser", password: USER_PASSWORD };
  const target = req.form?.get("userid") ?? decodeURIComponent(req.url.pathname.split("/").pop() ?? "");
  if (/list-users/.test(file)) {
    // Exactly the accounts listed at capture time (plainuser was added after the v1 lists).
    const ids = [...fixture.body.matchAll(/"users":\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[1]}]`) as string[]);
    const xmlIds = [...fixture.body.matchAll(/<element>([^<]+)<\/element>/g)].map((m) => m[1] ?? "");
    return [...ids, ...xmlIds].filter((id) => id !== "admin").map((id) => (id === "plainuser" ? plain : seedUser(id)));
  }
  const seeds: SeedUser[] = [plain];
  if (/create-user-duplicate|get-user-(ok|no-ocs|wrong|no-auth)|delete-user-ok/.test(file)) {
    seeds.push(seedUser(target));
  }
  return seeds;
}

async function replay(req: CurlRequest, baseUrl: string): Promise<{ res: Response; body: string }> {
  const headers: Record<string, string> = { accept: "*/*", ...req.headers };
  if (req.user !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${req.user}:${req.password ?? ""}`).toString("base64")}`;
  }
  if (req.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const res = await fetch(new URL(req.url.pathname + req.url.search, baseUrl), {
    method: req.method,
    headers,
    body: req.form?.toString(),
    redirect: "manual",
  });
  return { res, body: await res.text() };
}

describe("fixture inventory", () => {
  it("lists every captured file in the README table and request list", () => {
    expect(table.map((r) => r.file).sort()).toEqual(fixtureNames());
    expect([...requests.keys()].sort()).toEqual(fixtureNames());
    expect(table.length).toBeGreaterThan(70);
  });

  it.each(table)("$file: capture matches its README row", (row) => {
    const fixture = loadFixture(row.file);
    expect(fixture.status).toBe(row.httpStatus);
    const parsed = parseBody(fixture.body);
    if (row.statuscode === undefined) expect(parsed.type).toBe("json");
    else expect(parsed.type === "ocs" && parsed.meta.statuscode).toBe(row.statuscode);
  });
});

describe("fake Nextcloud answers like the real one", () => {
  it.each(table)("$file", async ({ file }) => {
    const fixture = loadFixture(file);
    const req = requests.get(file);
    if (!req) throw new Error(`no request recorded for ${file}`);
    const fake = await startFakeNextcloud({
      adminPassword: ADMIN_PASSWORD,
      users: seedsFor(file, req, fixture),
      dataDirectory: "/tmp/nextcloud-try/data",
    });
    try {
      const { res, body } = await replay(req, fake.url);
      expect(res.status).toBe(fixture.status);
      expect(res.statusText).toBe(fixture.reason);
      expect(res.headers.get("content-type")).toBe(fixture.header("content-type"));
      expect(res.headers.get("www-authenticate") ?? undefined).toBe(fixture.header("www-authenticate"));

      const expected = parseBody(fixture.body);
      const actual = parseBody(body);
      expect(actual.type).toBe(expected.type);
      if (expected.type === "ocs" && actual.type === "ocs") {
        expect(actual.meta).toEqual(expected.meta);
        expect(actual.format).toBe(expected.format);
      }
      if (file.includes("capabilities")) {
        // The fake serves a reduced capability set; the envelope and version must still match.
        const metaBlock = (text: string) => /"meta":\{[^}]*\}|<meta>[\s\S]*?<\/meta>/.exec(text)?.[0];
        expect(metaBlock(body)).toBe(metaBlock(fixture.body));
        if (fixture.status === 200) {
          expect(body).toContain(file.endsWith(".json.http") ? '"string":"29.0.1"' : "<string>29.0.1</string>");
        }
      } else {
        expect(body).toBe(fixture.body);
      }
    } finally {
      await fake.close();
    }
  });
});
