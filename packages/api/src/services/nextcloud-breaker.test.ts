import { describe, expect, it } from "vitest";

import { NextcloudError } from "@voiceassist/nextcloud";

import { createNextcloudBreaker, THROTTLED_BACKOFF_MS } from "./nextcloud-breaker";
import { outcomeOf } from "./provisioning-worker";

const refused = () => new NextcloudError({ kind: "unauthorized", message: "Unauthorised", statuscode: 997 });
const maxDelay = () => new NextcloudError({ kind: "throttled", message: "Reached maximum delay", statuscode: 429 });

describe("the Nextcloud circuit breaker", () => {
  it("opens on the first 997 and admits nothing until the re-check is due", async () => {
    let clock = 0;
    const breaker = createNextcloudBreaker({ recheckMs: 1000, now: () => clock });
    expect(breaker.observe(refused())).toBe(true);
    let checks = 0;
    const check = async () => {
      checks++;
    };
    expect(await breaker.admit(check)).toBe(false);
    clock = 999;
    expect(await breaker.admit(check)).toBe(false);
    expect(checks).toBe(0);
    clock = 1000;
    expect(await breaker.admit(check)).toBe(true);
    expect(breaker.status().state).toBe("closed");
    expect(checks).toBe(1);
  });

  it("a refused re-check keeps it open for another round; brute-force 429 waits past 30 minutes", async () => {
    let clock = 0;
    const breaker = createNextcloudBreaker({ recheckMs: 1000, now: () => clock });
    breaker.observe(refused());
    clock = 1000;
    expect(await breaker.admit(() => Promise.reject(refused()))).toBe(false);
    expect(breaker.status()).toMatchObject({ state: "open", reason: "credentials_rejected", retryAt: new Date(2000) });
    clock = 2000;
    expect(await breaker.admit(() => Promise.reject(maxDelay()))).toBe(false);
    expect(breaker.status()).toMatchObject({ reason: "throttled", retryAt: new Date(2000 + THROTTLED_BACKOFF_MS) });
    expect(THROTTLED_BACKOFF_MS).toBeGreaterThan(30 * 60_000);
  });

  it("concurrent callers share one re-check (200 rounds), so it costs one login at most", async () => {
    for (let round = 0; round < 200; round++) {
      let clock = 0;
      const breaker = createNextcloudBreaker({ recheckMs: 10, now: () => clock });
      breaker.observe(refused());
      clock = 10;
      let checks = 0;
      const check = async () => {
        checks++;
        await new Promise((r) => setImmediate(r));
        throw refused();
      };
      const admitted = await Promise.all(Array.from({ length: 8 }, () => breaker.admit(check)));
      expect(admitted.every((a) => a === false)).toBe(true);
      expect(checks).toBe(1);
    }
  });

  it("ignores the per-account edit limit (HTTP 429 without OCS) and ordinary outages", () => {
    const breaker = createNextcloudBreaker();
    expect(breaker.observe(new NextcloudError({ kind: "throttled", message: "", httpStatus: 429 }))).toBe(false);
    expect(breaker.observe(new NextcloudError({ kind: "network", message: "" }))).toBe(false);
    expect(breaker.status().state).toBe("closed");
  });
});

describe("provisioning outcomes", () => {
  const error = (kind: NextcloudError["kind"]) => new NextcloudError({ kind, message: "x" });

  it("fails a row only on a permanent refusal", () => {
    for (const kind of ["invalid_input", "password_policy", "forbidden", "precondition_failed"] as const) {
      expect(outcomeOf({ attempts: 0 }, error(kind), 5000)).toMatchObject({ ok: false, retryInMs: null });
    }
  });

  it("retries transient causes forever, the backoff capped at an hour", () => {
    for (const kind of ["network", "timeout", "server_error", "maintenance", "bad_response", "not_found"] as const) {
      const late = outcomeOf({ attempts: 500 }, error(kind), 5000);
      expect(late).toMatchObject({ ok: false, retryInMs: 3600_000 });
    }
    expect(outcomeOf({ attempts: 1 }, error("network"), 5000)).toMatchObject({ retryInMs: 10_000 });
  });

  it("backs off past the 30-minute window on 'throttled'", () => {
    const outcome = outcomeOf({ attempts: 0 }, error("throttled"), 5000);
    expect(outcome.ok === false && outcome.retryInMs).toBeGreaterThan(30 * 60_000);
  });
});
