import { inject } from "vitest";

import { Secret, TOTP } from "otpauth";

import { createClient, isMfaChallenge, type TokenPair } from "@voiceassist/client";

import type {} from "./live-api-context";

/** The real API from test/global-setup.ts. */
export const liveApi = () => inject("liveApi");

const octet = () => crypto.getRandomValues(new Uint8Array(1))[0] ?? 0;

/** The server trusts X-Forwarded-For from loopback: a fresh address per caller keeps rate limits apart. */
export const callerHeaders = () => ({ "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` });

/** A typed client for the real API as the signed-in admin, and the admin's token pair. */
export async function signInAdmin() {
  const { trpcUrl, adminEmail, adminPassword } = liveApi();
  const headers = callerHeaders();
  const result = await createClient({ url: trpcUrl, headers: () => headers }).auth.login.mutate({
    email: adminEmail,
    password: adminPassword,
  });
  if (isMfaChallenge(result)) throw new Error("the live-API admin must not have a second factor");
  const tokens: TokenPair = result;
  return { tokens, headers, client: createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken }) };
}

/** A fresh account, registered through the API as a visitor would. */
export async function registerUser(fullName = "Ada Lovelace") {
  const email = `user-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const headers = callerHeaders();
  const client = createClient({ url: liveApi().trpcUrl, headers: () => headers });
  const { user } = await client.auth.register.mutate({ email, password: "correct-horse-battery", fullName });
  return user;
}

/** A user of the live API signed in as a visitor would, with a client that sends their token. */
export async function signInUser(email: string, password = "correct-horse-battery", trpcUrl = liveApi().trpcUrl) {
  const headers = callerHeaders();
  const result = await createClient({ url: trpcUrl, headers: () => headers }).auth.login.mutate({ email, password });
  if (isMfaChallenge(result)) throw new Error(`${email} has a second factor: sign in with signInWithTotp`);
  const tokens: TokenPair = result;
  return { tokens, headers, client: createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken }) };
}

/** TOTP codes from a secret, as an authenticator app computes them (RFC 6238: SHA-1, 6 digits, 30 s). */
export const totpCode = (secret: string, atMs = Date.now()) =>
  TOTP.generate({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret), timestamp: atMs });

/** Sets up an authenticator app for a signed-in account; returns its secret and backup codes. */
export async function enrolTotp(client: ReturnType<typeof createClient>, password: string) {
  const { secret } = await client.mfa.totp.begin.mutate({ currentPassword: password });
  const { backupCodes } = await client.mfa.totp.confirm.mutate({ code: totpCode(secret) });
  return { secret, backupCodes };
}

/**
 * Password, then a TOTP code. The enrolment used up the current 30 s step, and a step is
 * accepted once: the next step's code is within the server's ±1 step of drift.
 */
export async function signInWithTotp(trpcUrl: string, email: string, password: string, secret: string) {
  const headers = callerHeaders();
  const anonymous = createClient({ url: trpcUrl, headers: () => headers });
  const challenge = await anonymous.auth.login.mutate({ email, password });
  if (!isMfaChallenge(challenge)) throw new Error("expected the password step to ask for a second factor");
  const tokens = await anonymous.auth.mfa.verify.mutate({
    challengeToken: challenge.challengeToken,
    totpCode: totpCode(secret, Date.now() + 30_000),
  });
  return { tokens, headers, client: createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken }) };
}
