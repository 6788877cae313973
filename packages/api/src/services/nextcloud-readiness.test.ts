import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createNextcloudClient } from "@voiceassist/nextcloud";
import { startFakeNextcloud, type FakeNextcloud } from "@voiceassist/testing/nextcloud";

import { createNextcloudBreaker } from "./nextcloud-breaker";
import { nextcloudProbe } from "./nextcloud-readiness";

const ADMIN_PASSWORD = "Nc-Admin-Pass-For-Tests!42";
let fake: FakeNextcloud;

beforeEach(async () => {
  fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, bruteForceBaseDelayMs: 1 });
});
afterEach(() => fake.close());

const client = (adminPassword: string) => createNextcloudClient({ baseUrl: fake.url, adminUser: "admin", adminPassword, retries: 0 });
const capabilityCalls = () => fake.requests.filter((r) => r.path.endsWith("/cloud/capabilities")).length;

describe("the Nextcloud readiness probe", () => {
  it("proves the credentials with an authenticated call, at most once per 30 s", async () => {
    let clock = 0;
    const probe = nextcloudProbe(client(ADMIN_PASSWORD), createNextcloudBreaker(), () => clock);
    await probe.run(new AbortController().signal);
    clock = 29_999;
    await probe.run(new AbortController().signal);
    expect(capabilityCalls()).toBe(1);
    clock = 30_000;
    await probe.run(new AbortController().signal);
    expect(capabilityCalls()).toBe(2);
  });

  it("says 'credentials rejected' and, with the breaker open, logs in no more", async () => {
    const breaker = createNextcloudBreaker();
    const probe = nextcloudProbe(client("wrong-password"), breaker);
    for (let i = 0; i < 5; i++) await expect(probe.run(new AbortController().signal)).rejects.toThrow("credentials rejected");
    expect(capabilityCalls()).toBe(1);
    expect(fake.bruteForceAttempts()).toBe(1);
    expect(breaker.status()).toMatchObject({ state: "open", reason: "credentials_rejected" });
  });
});
