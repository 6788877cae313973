import { totpCodeAt } from "../src/services/mfa/totp";
import { PASSWORD, type Caller, type ProcedureHarness } from "./support";

/** A clock tests move by hand: TOTP codes are computed for chosen instants, never waited for. */
export function manualClock(start = Date.UTC(2026, 11, 3, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    /** Moves the clock by whole 30 s TOTP steps. */
    advanceSteps: (steps: number) => {
      now += steps * 30_000;
    },
  };
}

/** Enrols TOTP for a signed-in caller at the clock's current time; returns the secret and backup codes. */
export async function enrolTotp(as: Caller, clock: { now: () => number }) {
  const { secret } = await as.mfa.totp.begin({ currentPassword: PASSWORD });
  const { backupCodes } = await as.mfa.totp.confirm({ code: totpCodeAt(secret, clock.now()) });
  return { secret, backupCodes };
}

/** The password step for an enrolled account: the challenge token (fails if a TokenPair came back). */
export async function passwordStep(h: ProcedureHarness, email: string): Promise<string> {
  const result = await h.caller().auth.login({ email, password: PASSWORD });
  if (!("mfaRequired" in result)) throw new Error("expected an MfaChallenge");
  return result.challengeToken;
}

export const codeAt = totpCodeAt;
