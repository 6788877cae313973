import { and, eq, sql } from "drizzle-orm";

import { isUniqueViolation, users, type Database } from "@voiceassist/db";

import { accountLocked, emailNotVerified, emailTaken, invalidCredentials, notAuthenticated } from "../errors";
import type { Actor } from "./actor";
import { recordAudit, type AuditOrigin } from "./audit";
import { queueVerificationMail } from "./email-verification";
import type { MailDeps } from "./mail";
import type { PasswordHasher } from "./passwords";
import { requestProvisioning } from "./provisioning-queue";
import { publicUserColumns, type PublicUser } from "./public-user";
import { accountLockedFor, recordLoginFailure } from "./login-failures";
import { assertAcceptablePassword } from "./password-policy";
import { createSession, revokeSession, revokeUserSessions, rotateRefreshToken, type SessionPolicy } from "./sessions";
import { issueTokenPair, type TokenPair } from "./token-pair";
import type { TokenService } from "./tokens";
import { emailIs } from "./user-match";
import { enrolledFactors, methodsOf } from "./mfa/factors";
import { issueMfaChallenge, type MfaChallenge } from "./mfa/login-challenge";

export interface AuthDeps {
  db: Database;
  passwords: PasswordHasher;
  tokens: TokenService;
  sessionPolicy: SessionPolicy;
  nextcloudProvisioning: boolean;
  mail: MailDeps;
  requireEmailVerification: boolean;
}

export async function registerUser(
  deps: AuthDeps,
  input: { email: string; password: string; fullName?: string | null },
  origin: AuditOrigin,
): Promise<PublicUser> {
  assertAcceptablePassword(input.password, input.email);
  const hashedPassword = await deps.passwords.hash(input.password);
  try {
    // User, provisioning request and audit event commit together, or none of them.
    const user = await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ email: input.email, fullName: input.fullName ?? null, hashedPassword, isAdmin: false })
        .returning(publicUserColumns);
      if (!created) throw new Error("INSERT … RETURNING returned no row");
      if (deps.nextcloudProvisioning) await requestProvisioning(tx, created.id, true);
      await queueVerificationMail(tx, deps.mail.settings, created);
      await recordAudit(tx, origin, {
        action: "auth.register",
        outcome: "success",
        actorId: created.id,
        targetUserId: created.id,
      });
      return created;
    });
    deps.mail.wake();
    return user;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await recordAudit(deps.db, origin, { action: "auth.register", outcome: "failure", detail: { reason: "email_taken" } });
    throw emailTaken();
  }
}

/**
 * Checks the password. For an account with a second factor the answer is an
 * MfaChallenge, never a session: only auth.mfa.verify turns it into one.
 */
export async function loginUser(
  deps: AuthDeps,
  input: { email: string; password: string },
  origin: AuditOrigin,
): Promise<TokenPair | MfaChallenge> {
  // A locked account is refused before bcrypt runs, whether or not it exists.
  const lockedFor = await accountLockedFor(deps.db, input.email);
  if (lockedFor > 0) {
    await recordAudit(deps.db, origin, {
      action: "auth.login",
      outcome: "failure",
      detail: { reason: "account_locked", email: input.email },
    });
    throw accountLocked(lockedFor);
  }

  const [account] = await deps.db
    .select({
      id: users.id,
      hashedPassword: users.hashedPassword,
      isActive: users.isActive,
      credentialsVersion: users.credentialsVersion,
      emailVerifiedAt: users.emailVerifiedAt,
      mfaEnabled: users.mfaEnabled,
    })
    .from(users)
    .where(emailIs(input.email))
    .limit(1);

  const fail = async (reason: string, targetUserId: string | null) => {
    if (reason !== "raced") await recordLoginFailure(deps.db, input.email);
    await recordAudit(deps.db, origin, {
      action: "auth.login",
      outcome: "failure",
      targetUserId,
      detail: { reason, email: input.email },
    });
    return invalidCredentials();
  };

  if (!account) {
    await deps.passwords.verifyDummy(input.password);
    throw await fail("unknown_email", null);
  }
  // Verify even for deactivated accounts, so all three refusals take as long.
  const checkedHash = account.hashedPassword;
  const passwordOk = await deps.passwords.verify(input.password, checkedHash);
  if (!passwordOk || checkedHash === null) throw await fail("wrong_password", account.id);
  if (!account.isActive) throw await fail("inactive", account.id);
  // Only after the password checked out: the refusal tells nothing to someone without it.
  if (deps.requireEmailVerification && !account.emailVerifiedAt) {
    await recordAudit(deps.db, origin, {
      action: "auth.login",
      outcome: "failure",
      targetUserId: account.id,
      detail: { reason: "email_not_verified", email: input.email },
    });
    throw emailNotVerified();
  }
  if (account.mfaEnabled) {
    const challenge = await issueMfaChallenge(
      deps.db,
      { ...account, hashedPassword: checkedHash },
      methodsOf(await enrolledFactors(deps.db, account.id)),
    );
    await recordAudit(deps.db, origin, {
      action: "auth.login",
      outcome: "success",
      actorId: account.id,
      targetUserId: account.id,
      detail: { secondFactor: "required" },
    });
    return challenge;
  }

  const result = await deps.db.transaction(async (tx) => {
    // Compare-and-swap on the credentials bcrypt checked: if a password change,
    // deactivation or delete committed meanwhile, no row matches and no session is made.
    const [updated] = await tx
      .update(users)
      .set({ lastLogin: sql`now()` })
      .where(
        and(
          eq(users.id, account.id),
          eq(users.isActive, true),
          eq(users.credentialsVersion, account.credentialsVersion),
          eq(users.hashedPassword, checkedHash),
        ),
      )
      .returning(publicUserColumns);
    if (!updated) return null;
    const created = await createSession(tx, account, deps.sessionPolicy, origin);
    await recordAudit(tx, origin, {
      action: "auth.login",
      outcome: "success",
      actorId: account.id,
      targetUserId: account.id,
      detail: { sessionId: created.sessionId },
    });
    return { user: updated, session: created };
  });
  if (!result) throw await fail("raced", account.id);
  return issueTokenPair(deps.tokens, result.user, result.session);
}

export async function refreshTokens(deps: AuthDeps, { refreshToken }: { refreshToken: string }, origin: AuditOrigin): Promise<TokenPair> {
  const claims = await deps.tokens.verifyRefresh(refreshToken);
  if (!claims) throw notAuthenticated("Invalid refresh token");

  const rotation = await rotateRefreshToken(deps.db, claims, deps.sessionPolicy);
  if (rotation.status === "reused") {
    await recordAudit(deps.db, origin, {
      action: "auth.refresh.reuse_detected",
      outcome: "failure",
      actorId: claims.sub,
      targetUserId: claims.sub,
      detail: { sessionId: claims.sid },
    });
    throw notAuthenticated("Refresh token already used; the session has been revoked");
  }
  if (rotation.status === "invalid") throw notAuthenticated("Invalid refresh token");

  const [user] = await deps.db.select(publicUserColumns).from(users).where(eq(users.id, claims.sub)).limit(1);
  if (!user?.isActive) {
    await revokeSession(deps.db, claims.sid, "deactivated");
    throw notAuthenticated("Invalid refresh token");
  }
  return issueTokenPair(deps.tokens, user, { sessionId: claims.sid, refreshJti: rotation.refreshJti });
}

export async function logoutUser(
  { db }: { db: Database },
  who: Actor,
  { allSessions }: { allSessions: boolean },
  origin: AuditOrigin,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (allSessions) await revokeUserSessions(tx, who.userId, "logout_all");
    else await revokeSession(tx, who.sessionId, "logout");
    await recordAudit(tx, origin, {
      action: "auth.logout",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { allSessions, sessionId: who.sessionId },
    });
  });
}
