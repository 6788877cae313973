import { inject } from "vitest";

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
