// No password (admin or new user), nor the Basic credentials, may surface in errors.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNextcloudClient } from "./client";
import type { NextcloudClient, NextcloudClientOptions } from "./client";
import type { NextcloudError } from "./errors";
import { failure } from "../test/support/failure";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeMode, FakeNextcloud } from "@voiceassist/testing/nextcloud";

const ADMIN_PASSWORD = "S3cret Admin/Pa$$+word&=?";
const WRONG_PASSWORD = "Wr0ng but still SECRET %2F";
const USER_PASSWORD = "N3w-User_Secret_Value!";
let fake: FakeNextcloud;

const make = (overrides: Partial<NextcloudClientOptions> = {}) =>
  createNextcloudClient({
    baseUrl: fake.url,
    adminUser: "admin",
    adminPassword: ADMIN_PASSWORD,
    retryDelayMs: 5,
    timeoutMs: 300,
    ...overrides,
  });

function forbiddenStrings(): string[] {
  const out: string[] = [];
  for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, USER_PASSWORD]) {
    out.push(secret, encodeURIComponent(secret), new URLSearchParams({ p: secret }).toString().slice(2));
    out.push(Buffer.from(`admin:${secret}`).toString("base64"), Buffer.from(secret).toString("base64"));
  }
  return out;
}

/** Every way an error typically ends up in a log. */
function renderings(error: NextcloudError): string[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(e);
  return [
    JSON.stringify(error),
    JSON.stringify(chain.map((e) => ({ ...(e as object), message: (e as Error).message }))),
    inspect(error, { depth: Infinity, showHidden: true }),
    String(error),
    error.stack ?? "",
    ...chain.map((e) => inspect(e, { depth: Infinity })),
  ];
}

function expectClean(error: NextcloudError): void {
  for (const text of renderings(error)) {
    for (const secret of forbiddenStrings()) expect(text).not.toContain(secret);
  }
}

beforeEach(async () => {
  fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, users: [{ id: "plainuser", password: USER_PASSWORD }] });
});
afterEach(async () => {
  await fake.close();
});

describe("secrets never leak", () => {
  const createJane = (client: NextcloudClient) => client.createUser({ userId: "jane", password: USER_PASSWORD, email: "j@example.com" });

  it.each<[string, FakeMode, (client: NextcloudClient) => Promise<unknown>, string]>([
    ["down (network + cause chain)", "down", createJane, "network"],
    ["slow (timeout + abort cause)", "slow", (c) => c.userExists("plainuser"), "timeout"],
    ["html500", "html500", createJane, "server_error"],
    ["maintenance", "maintenance", createJane, "maintenance"],
    ["proxy page", "proxy_html", createJane, "bad_response"],
  ])("%s", async (_label, mode, call, kind) => {
    await fake.setMode(mode);
    const error = await failure(call(make()));
    expect(error.kind).toBe(kind);
    expectClean(error);
  });

  it("wrong admin password (unauthorized)", async () => {
    const error = await failure(createJane(make({ adminPassword: WRONG_PASSWORD })));
    expect(error.kind).toBe("unauthorized");
    expectClean(error);
  });

  it("password policy and user_exists failures", async () => {
    const weak = await failure(make().createUser({ userId: "weak", password: "password123" }));
    expect(weak.kind).toBe("password_policy");
    expectClean(weak);
    const dup = await failure(make().createUser({ userId: "plainuser", password: USER_PASSWORD }));
    expect(dup.kind).toBe("user_exists");
    expectClean(dup);
  });

  it("redacts secrets that a transport or server echoes back", async () => {
    const leaky: typeof fetch = async (_input, init) => {
      const header = new Headers(init?.headers).get("authorization");
      const inner = Object.assign(new Error(`proxy refused ${header} for ${String(init?.body)}`), { code: "EPROXY" });
      throw new TypeError(`fetch failed: ${ADMIN_PASSWORD}`, { cause: inner });
    };
    const error = await failure(createJane(make({ fetch: leaky, retries: 0 })));
    expect(error.kind).toBe("network");
    expect(inspect(error, { depth: Infinity })).toContain("[redacted]");
    expectClean(error);

    const echoing: typeof fetch = async () =>
      new Response(`{"ocs":{"meta":{"status":"failure","statuscode":107,"message":"${USER_PASSWORD} is weak"},"data":[]}}`);
    const echoed = await failure(createJane(make({ fetch: echoing })));
    expect(echoed.message).toBe("[redacted] is weak");
    expectClean(echoed);
  });

  it("neither the client object nor the fake's request log holds a password", async () => {
    const client = make();
    await createJane(client);
    const texts = [inspect(client, { depth: Infinity, showHidden: true }), JSON.stringify(fake.requests)];
    for (const text of texts) for (const secret of forbiddenStrings()) expect(text).not.toContain(secret);
    expect(fake.requests[0]?.form.password).toBe("[redacted]");
  });
});
