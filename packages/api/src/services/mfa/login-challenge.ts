import { createHash, randomBytes } from "node:crypto";

import { generateAuthenticationOptions, type AuthenticationResponseJSON, type AuthenticatorTransport } from "@simplewebauthn/server";
import { and, eq, gt, lt, or, sql } from "drizzle-orm";

import { mfaChallenges, passkeys, users, type Database } from "@voiceassist/db";

import { accountLocked, DomainError, invalidMfaChallenge, invalidSecondFactor } from "../../errors";
import { recordAudit, type AuditOrigin } from "../audit";
import { accountLockedFor } from "../login-failures";
import { spendLimit, type RateLimiter } from "../rate-limit";
import type { SessionPolicy } from "../sessions";
import { issueTokenPair, type TokenPair } from "../token-pair";
import type { TokenService } from "../tokens";
import { consumeBackupCode } from "./backup-codes";
import type { MfaMethod } from "./factors";
import { recordPasskeyUse, verifyPasskeyAssertion, type VerifiedAssertion } from "./passkey-assertion";
import { MFA_CHALLENGE_MAX_FAILURES, MFA_CHALLENGE_TTL_SECONDS, type MfaSettings } from "./settings";
import { openSecondFactorSession, passwordFingerprint } from "./sign-in-session";
import { matchTotpStep } from "./totp";
import { consumeTotpStep, loadTotpSecret, resealIfStale } from "./totp-store";
import { signedChallenge, storeWebauthnChallenge, takeWebauthnChallenge } from "./webauthn-challenges";

/** What `auth.login` answers instead of a TokenPair when the account has a second factor. */
export interface MfaChallenge {
  mfaRequired: true;
  challengeToken: string;
  methods: MfaMethod[];
  expiresIn: number;
}

/** Exactly one of the three answers (the router checks that). */
export interface SecondFactorInput {
  challengeToken: string;
  totpCode?: string;
  backupCode?: string;
  webauthn?: AuthenticationResponseJSON;
}

export interface SecondStepDeps {
  db: Database;
  tokens: TokenService;
  sessionPolicy: SessionPolicy;
  limiter: RateLimiter;
  mfa: MfaSettings;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A challenge that can still be answered: not expired, not worn out by wrong codes. */
const isLive = and(gt(mfaChallenges.expiresAt, sql`now()`), lt(mfaChallenges.failedAttempts, MFA_CHALLENGE_MAX_FAILURES));

/**
 * Called by auth.login once the password is right for an account with a
 * second factor: no session yet, only a challenge (its token stored hashed)
 * that pins the credentials the password was checked against.
 */
export async function issueMfaChallenge(
  db: Database,
  account: { id: string; credentialsVersion: number; hashedPassword: string },
  methods: MfaMethod[],
): Promise<MfaChallenge> {
  const challengeToken = randomBytes(32).toString("base64url");
  await db.insert(mfaChallenges).values({
    tokenHash: hashToken(challengeToken),
    userId: account.id,
    credentialsVersion: account.credentialsVersion,
    passwordFingerprint: passwordFingerprint(account.hashedPassword),
    expiresAt: sql`now() + make_interval(secs => ${MFA_CHALLENGE_TTL_SECONDS})`,
  });
  return { mfaRequired: true, challengeToken, methods, expiresIn: MFA_CHALLENGE_TTL_SECONDS };
}

async function findLiveChallenge(db: Database, challengeToken: string) {
  const [row] = await db
    .select()
    .from(mfaChallenges)
    .where(and(eq(mfaChallenges.tokenHash, hashToken(challengeToken)), isLive));
  return row ?? null;
}

type Challenge = NonNullable<Awaited<ReturnType<typeof findLiveChallenge>>>;

/** `auth.mfa.webauthnOptions`: request options naming the passkeys of the challenged account. */
export async function webauthnOptionsForChallenge(deps: SecondStepDeps, input: { challengeToken: string }) {
  const challenge = await findLiveChallenge(deps.db, input.challengeToken);
  if (!challenge) throw invalidMfaChallenge();
  const keys = await deps.db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, challenge.userId));
  if (keys.length === 0) throw new DomainError("invalid_input", "This account has no passkey");
  const options = await generateAuthenticationOptions({
    rpID: deps.mfa.webauthn.rpId,
    allowCredentials: keys.map((k) => ({ id: k.id, transports: (k.transports ?? undefined) as AuthenticatorTransport[] | undefined })),
    userVerification: "preferred",
  });
  await storeWebauthnChallenge(deps.db, options.challenge, "mfa", { userId: challenge.userId, mfaChallengeId: challenge.id });
  return options;
}

/** How the second factor will be used up inside the sign-in transaction, once checked. */
type Consume = { method: MfaMethod; consume: (tx: Database) => Promise<boolean> };

/** Checks what can be checked before the transaction; null when the answer is already wrong. */
async function prepareFactor(deps: SecondStepDeps, challenge: Challenge, input: SecondFactorInput): Promise<Consume | null> {
  const userId = challenge.userId;
  if (input.totpCode !== undefined) {
    const totp = await loadTotpSecret(deps.db, deps.mfa, userId, true);
    const step = totp ? matchTotpStep(totp.secret, input.totpCode, deps.mfa.now()) : null;
    if (!totp || step === null) return null;
    const consume = async (tx: Database) => {
      if (!(await consumeTotpStep(tx, userId, step))) return false;
      await resealIfStale(tx, deps.mfa, userId, totp);
      return true;
    };
    return { method: "totp", consume };
  }
  const { backupCode, webauthn } = input;
  if (backupCode !== undefined) {
    return { method: "backup_code", consume: (tx) => consumeBackupCode(tx, userId, backupCode) };
  }
  if (!webauthn) return null;
  const signed = signedChallenge(webauthn.response.clientDataJSON);
  const issued = signed ? await takeWebauthnChallenge(deps.db, signed, "mfa") : null;
  if (!signed || issued?.mfaChallengeId !== challenge.id) return null;
  const assertion: VerifiedAssertion | null = await verifyPasskeyAssertion(deps.db, deps.mfa.webauthn, webauthn, {
    challenge: signed,
    userId,
    requireUserVerification: false,
  });
  return assertion ? { method: "webauthn", consume: (tx) => recordPasskeyUse(tx, assertion) } : null;
}

const methodOf = (input: SecondFactorInput): MfaMethod =>
  input.totpCode !== undefined ? "totp" : input.backupCode !== undefined ? "backup_code" : "webauthn";

/** Rolls the sign-in transaction back with the reason the step failed. */
class StepFailed extends Error {
  constructor(readonly reason: "wrong_code" | "raced" | "challenge_gone") {
    super(reason);
  }
}

/**
 * `auth.mfa.verify`: the second step. In one transaction it takes the
 * challenge (single use), uses up the factor (a TOTP step, a backup code or a
 * passkey counter, each a compare-and-swap), re-checks the account under a
 * row lock and makes a session marked `mfa`. A wrong answer counts against
 * the challenge, which dies at the fifth.
 */
export async function completeMfaSignIn(deps: SecondStepDeps, input: SecondFactorInput, origin: AuditOrigin): Promise<TokenPair> {
  const method = methodOf(input);
  const fail = (reason: string, userId: string | null, detail: Record<string, unknown> = {}) =>
    recordAudit(deps.db, origin, {
      action: "auth.mfa.failure",
      outcome: "failure",
      targetUserId: userId,
      detail: { method, reason, ...detail },
    });

  const challenge = await findLiveChallenge(deps.db, input.challengeToken);
  if (!challenge) {
    await fail("invalid_challenge", null);
    throw invalidMfaChallenge();
  }
  await spendLimit(deps, origin, "mfaVerifyAccount", challenge.userId, "auth.mfa.verify");
  const [account] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, challenge.userId));
  const lockedFor = account ? await accountLockedFor(deps.db, account.email) : 0;
  if (lockedFor > 0) {
    await fail("account_locked", challenge.userId);
    throw accountLocked(lockedFor);
  }

  const factor = await prepareFactor(deps, challenge, input);
  try {
    if (!factor) throw new StepFailed("wrong_code");
    const result = await deps.db.transaction(async (tx) => {
      const taken = await tx
        .delete(mfaChallenges)
        .where(and(eq(mfaChallenges.id, challenge.id), isLive))
        .returning({ id: mfaChallenges.id });
      if (taken.length === 0) throw new StepFailed("challenge_gone");
      if (!(await factor.consume(tx))) throw new StepFailed("wrong_code");
      const opened = await openSecondFactorSession(
        tx,
        deps.sessionPolicy,
        challenge.userId,
        { credentialsVersion: challenge.credentialsVersion, passwordFingerprint: challenge.passwordFingerprint },
        origin,
        { action: "auth.mfa.success", outcome: "success", actorId: challenge.userId, targetUserId: challenge.userId, detail: { method } },
        ["pwd", method === "webauthn" ? "hwk" : "otp"],
      );
      if (!opened) throw new StepFailed("raced");
      return opened;
    });
    return issueTokenPair(deps.tokens, result.user, result.session);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    if (error.reason === "wrong_code") {
      const attemptsLeft = await countWrongAnswer(deps.db, challenge.id);
      await fail("wrong_code", challenge.userId, { attemptsLeft });
      throw invalidSecondFactor();
    }
    // The account changed under the challenge (or another answer took it): it is dead either way.
    await deps.db.delete(mfaChallenges).where(eq(mfaChallenges.id, challenge.id));
    await fail(error.reason, challenge.userId);
    throw invalidMfaChallenge();
  }
}

/** One more wrong answer on the challenge; returns how many it has left (0: dead). */
async function countWrongAnswer(db: Database, challengeId: string): Promise<number> {
  const [row] = await db
    .update(mfaChallenges)
    .set({ failedAttempts: sql`${mfaChallenges.failedAttempts} + 1` })
    .where(eq(mfaChallenges.id, challengeId))
    .returning({ failedAttempts: mfaChallenges.failedAttempts });
  return Math.max(0, MFA_CHALLENGE_MAX_FAILURES - (row?.failedAttempts ?? MFA_CHALLENGE_MAX_FAILURES));
}

/** Drops sign-in challenges that can no longer be answered. */
export async function deleteDeadMfaChallenges(db: Database): Promise<void> {
  await db
    .delete(mfaChallenges)
    .where(or(lt(mfaChallenges.expiresAt, sql`now()`), sql`${mfaChallenges.failedAttempts} >= ${MFA_CHALLENGE_MAX_FAILURES}`));
}
