import { generateAuthenticationOptions, type AuthenticationResponseJSON } from "@simplewebauthn/server";

import { DomainError } from "../../errors";
import { recordAudit, type AuditOrigin } from "../audit";
import { issueTokenPair, type TokenPair } from "../token-pair";
import type { SecondStepDeps } from "./login-challenge";
import { recordPasskeyUse, verifyPasskeyAssertion } from "./passkey-assertion";
import { openSecondFactorSession } from "./sign-in-session";
import { signedChallenge, storeWebauthnChallenge, takeWebauthnChallenge } from "./webauthn-challenges";

const passkeySignInFailed = () => new DomainError("unauthenticated", "Passkey sign-in failed");

/** `auth.passkey.options`: request options for a discoverable passkey, user verification required. */
export async function passkeyLoginOptions(deps: Pick<SecondStepDeps, "db" | "mfa">) {
  const options = await generateAuthenticationOptions({ rpID: deps.mfa.webauthn.rpId, userVerification: "required" });
  await storeWebauthnChallenge(deps.db, options.challenge, "login");
  return options;
}

/**
 * `auth.passkey.login`: a passkey with user verification is something the
 * user has and something they are or know, so the session counts as
 * second-factor (`mfa`). The account is re-checked under a row lock as any
 * sign-in is.
 */
export async function passkeyLogin(
  deps: SecondStepDeps,
  input: { response: AuthenticationResponseJSON },
  origin: AuditOrigin,
): Promise<TokenPair> {
  const fail = async (reason: string, userId: string | null) => {
    await recordAudit(deps.db, origin, {
      action: "auth.login",
      outcome: "failure",
      targetUserId: userId,
      detail: { method: "passkey", reason },
    });
    return passkeySignInFailed();
  };
  const challenge = signedChallenge(input.response.response.clientDataJSON);
  if (!challenge || !(await takeWebauthnChallenge(deps.db, challenge, "login"))) throw await fail("unknown_challenge", null);
  const assertion = await verifyPasskeyAssertion(deps.db, deps.mfa.webauthn, input.response, { challenge, requireUserVerification: true });
  if (!assertion) throw await fail("assertion_refused", null);

  const opened = await deps.db.transaction(async (tx) => {
    if (!(await recordPasskeyUse(tx, assertion))) return null;
    return openSecondFactorSession(
      tx,
      deps.sessionPolicy,
      assertion.userId,
      null,
      origin,
      {
        action: "auth.login",
        outcome: "success",
        actorId: assertion.userId,
        targetUserId: assertion.userId,
        detail: { method: "passkey", passkeyId: assertion.passkeyId },
      },
      ["hwk"],
    );
  });
  if (!opened) throw await fail("raced_or_inactive", assertion.userId);
  return issueTokenPair(deps.tokens, opened.user, opened.session);
}
