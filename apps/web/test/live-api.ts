import { inject } from "vitest";

import { createClient, isMfaChallenge, type TokenPair } from "@voiceassist/client";

import type { ApiConnection } from "./render-app";
import type {} from "./live-api-context";

const octet = () => crypto.getRandomValues(new Uint8Array(1))[0] ?? 0;

/** The server trusts X-Forwarded-For from loopback: a fresh address per caller keeps rate limits apart. */
export const callerHeaders = () => ({ "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` });

export const PASSWORD = "correct-horse-battery";

/** A fresh account on the real API, signed in: its email, a client with its token, and the connection for renderApp. */
export async function newAccount() {
  const { trpcUrl } = inject("liveApi");
  const email = `user-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const headers = callerHeaders();
  const anonymous = createClient({ url: trpcUrl, headers: () => headers });
  await anonymous.auth.register.mutate({ email, password: PASSWORD, fullName: "Ada Lovelace" });
  const result = await anonymous.auth.login.mutate({ email, password: PASSWORD });
  if (isMfaChallenge(result)) throw new Error("a new account has no second factor");
  const tokens: TokenPair = result;
  const client = createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken });
  const connection = (signedIn: boolean): ApiConnection => ({ url: trpcUrl, headers, tokens: signedIn ? tokens : null });
  return { email, client, anonymous, headers, tokens, connection };
}
