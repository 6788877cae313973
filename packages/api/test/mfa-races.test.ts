import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { users } from "@voiceassist/db";

import type { RateLimiter } from "../src/services/rate-limit";
import { codeAt, enrolTotp, manualClock, passwordStep } from "./mfa-support";
import { procedureHarness, testMfaSettings, type ProcedureHarness } from "./support";

/**
 * Races on the second step, over many rounds against the real database (Postgres
 * with DATABASE_URL, else PGlite). The per-account budget would stop the rounds
 * early, so this harness spends none; the budgets have their own tests.
 */
const ROUNDS = 15;
const unlimited: RateLimiter = { limit: async () => ({ allowed: true, retryAfterSeconds: 0 }) };
const clock = manualClock();
let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness({ limiter: unlimited, mfa: testMfaSettings({ now: clock.now }) });
});
afterAll(() => h?.destroy());

const outcome = (promise: Promise<{ accessToken: string }>) =>
  promise.then(
    (pair) => ({ ok: true as const, pair }),
    () => ({ ok: false as const }),
  );

describe("one code, two concurrent sign-ins: exactly one wins", () => {
  it("a backup code", async () => {
    const me = await h.signUp();
    const { secret, backupCodes } = await enrolTotp(me.as, clock);
    let codes = backupCodes;
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 10 === 0 && round > 0) {
        clock.advanceSteps(1);
        codes = (await me.as.mfa.backupCodes.regenerate({ code: codeAt(secret, clock.now()) })).backupCodes;
      }
      const code = codes[round % 10] as string;
      const [a, b] = [await passwordStep(h, me.email), await passwordStep(h, me.email)];
      const results = await Promise.all([
        outcome(h.caller().auth.mfa.verify({ challengeToken: a, backupCode: code })),
        outcome(h.caller().auth.mfa.verify({ challengeToken: b, backupCode: code })),
      ]);
      expect(
        results.filter((r) => r.ok),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });

  it("a TOTP code", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    for (let round = 0; round < ROUNDS; round++) {
      clock.advanceSteps(1);
      const code = codeAt(secret, clock.now());
      const [a, b] = [await passwordStep(h, me.email), await passwordStep(h, me.email)];
      const results = await Promise.all([
        outcome(h.caller().auth.mfa.verify({ challengeToken: a, totpCode: code })),
        outcome(h.caller().auth.mfa.verify({ challengeToken: b, totpCode: code })),
      ]);
      expect(
        results.filter((r) => r.ok),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });

  it("one challenge answered twice at once", async () => {
    const me = await h.signUp();
    const { backupCodes } = await enrolTotp(me.as, clock);
    for (let round = 0; round < 5; round++) {
      const challengeToken = await passwordStep(h, me.email);
      const results = await Promise.all([
        outcome(h.caller().auth.mfa.verify({ challengeToken, backupCode: backupCodes[2 * round] as string })),
        outcome(h.caller().auth.mfa.verify({ challengeToken, backupCode: backupCodes[2 * round + 1] as string })),
      ]);
      expect(
        results.filter((r) => r.ok),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });
});

describe("the second step racing a deactivation", () => {
  it("never yields a session that works", async () => {
    const admin = await h.signUp({ admin: true });
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    for (let round = 0; round < ROUNDS; round++) {
      clock.advanceSteps(1);
      const challengeToken = await passwordStep(h, me.email);
      const [signIn] = await Promise.all([
        outcome(h.caller().auth.mfa.verify({ challengeToken, totpCode: codeAt(secret, clock.now()) })),
        admin.as.users.update({ id: me.user.id, isActive: false }),
      ]);
      await admin.as.users.update({ id: me.user.id, isActive: true });
      if (signIn.ok) {
        const me2 = await h
          .caller({ authorization: `Bearer ${signIn.pair.accessToken}` })
          .auth.me()
          .then(
            () => "OK",
            () => "REFUSED",
          );
        expect(me2, `round ${round}`).toBe("REFUSED");
      }
    }
    const [row] = await h.db.select({ isActive: users.isActive }).from(users).where(eq(users.id, me.user.id));
    expect(row?.isActive).toBe(true);
  });
});
