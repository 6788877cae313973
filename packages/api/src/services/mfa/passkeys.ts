import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, count, eq } from "drizzle-orm";

import { isUniqueViolation, passkeys } from "@voiceassist/db";

import { DomainError } from "../../errors";
import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import { settleFactorChange } from "./factor-change";
import { enrolledFactors, useCurrentCode } from "./factors";
import { tellUserAboutMfa } from "./notices";
import { assertCurrentPassword, lockForFactorChange, wrongCode } from "./proof";
import type { MfaDeps } from "./totp-enrolment";
import { signedChallenge, storeWebauthnChallenge, takeWebauthnChallenge } from "./webauthn-challenges";

export const MAX_PASSKEYS_PER_USER = 20;
const passkeyNotFound = () => new DomainError("not_found", "Passkey not found");
const registrationRefused = () => new DomainError("invalid_input", "The passkey could not be verified; start again");

/** `mfa.passkeys.registrationOptions`: creation options for a new passkey. Needs the password. */
export async function passkeyRegistrationOptions(deps: MfaDeps, who: Actor, input: { currentPassword: string }) {
  const { email } = await assertCurrentPassword(deps, who.userId, input.currentPassword);
  const existing = await deps.db
    .select({ id: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, who.userId));
  if (existing.length >= MAX_PASSKEYS_PER_USER)
    throw new DomainError("invalid_input", `At most ${MAX_PASSKEYS_PER_USER} passkeys per account`);
  const { rpId, rpName } = deps.mfa.webauthn;
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: email,
    // The user handle is the account id: a passwordless sign-in reports it back.
    userID: new TextEncoder().encode(who.userId),
    attestationType: "none",
    excludeCredentials: existing.map((k) => ({
      id: k.id,
      transports: (k.transports ?? undefined) as AuthenticatorTransport[] | undefined,
    })),
    // Discoverable when the authenticator can, so the same passkey signs in without a password.
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await storeWebauthnChallenge(deps.db, options.challenge, "register", { userId: who.userId });
  return options;
}

/** `mfa.passkeys.register`: verifies the authenticator's answer and stores the passkey. */
export async function registerPasskey(
  deps: MfaDeps,
  who: Actor,
  input: { response: RegistrationResponseJSON; name?: string },
  origin: AuditOrigin,
) {
  const challenge = signedChallenge(input.response.response.clientDataJSON);
  const issued = challenge ? await takeWebauthnChallenge(deps.db, challenge, "register") : null;
  if (!challenge || issued?.userId !== who.userId) throw registrationRefused();
  const verification = await verifyRegistrationResponse({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: deps.mfa.webauthn.origins,
    expectedRPID: deps.mfa.webauthn.rpId,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) throw registrationRefused();
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;

  try {
    const created = await deps.db.transaction(async (tx) => {
      await lockForFactorChange(tx, who);
      const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, who.userId));
      const [created] = await tx
        .insert(passkeys)
        .values({
          userId: who.userId,
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString("base64url"),
          counter: credential.counter,
          transports: credential.transports ?? null,
          name: input.name ?? `Passkey ${n + 1}`,
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
        })
        .returning({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt });
      if (!created) throw new Error("INSERT … RETURNING returned no row");
      await settleFactorChange(tx, who);
      await recordAudit(tx, origin, {
        action: "mfa.passkey.added",
        outcome: "success",
        actorId: who.userId,
        targetUserId: who.userId,
        detail: { passkeyId: created.id, name: created.name },
      });
      await tellUserAboutMfa(tx, deps.mail.settings, who.userId, { kind: "passkey_added", name: created.name });
      return created;
    });
    deps.mail.wake();
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", "This passkey is already registered");
    throw error;
  }
}

/**
 * `mfa.passkeys.remove`: a current code, or the password. The last factor
 * takes a code; an account whose only factors are passkeys has none, so
 * there the password must come from a session that signed in with a second factor.
 */
export async function removePasskey(
  deps: MfaDeps,
  who: Actor,
  input: { id: string; code?: string; currentPassword?: string },
  origin: AuditOrigin,
) {
  const [key] = await deps.db
    .select({ id: passkeys.id, name: passkeys.name })
    .from(passkeys)
    .where(and(eq(passkeys.id, input.id), eq(passkeys.userId, who.userId)));
  if (!key) throw passkeyNotFound();
  if (input.currentPassword !== undefined) await assertCurrentPassword(deps, who.userId, input.currentPassword);

  await deps.db.transaction(async (tx) => {
    const { sessionMfa } = await lockForFactorChange(tx, who);
    const factors = await enrolledFactors(tx, who.userId);
    const isLastFactor = !factors.totp && factors.passkeys <= 1;
    let proof: string = "password";
    if (input.code !== undefined) {
      const method = await useCurrentCode(tx, deps.mfa, who.userId, input.code);
      if (!method) throw wrongCode();
      proof = method;
    } else if (isLastFactor && (factors.backupCodes > 0 || !sessionMfa)) {
      throw new DomainError("invalid_input", "Removing your last second factor takes a current code");
    }
    const deleted = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, key.id), eq(passkeys.userId, who.userId)))
      .returning({ id: passkeys.id });
    if (deleted.length === 0) throw passkeyNotFound();
    await settleFactorChange(tx, who);
    await recordAudit(tx, origin, {
      action: "mfa.passkey.removed",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { passkeyId: key.id, name: key.name, proof },
    });
    await tellUserAboutMfa(tx, deps.mail.settings, who.userId, { kind: "passkey_removed", name: key.name });
  });
  deps.mail.wake();
  return { success: true as const };
}
