import { randomBytes } from "node:crypto";

import { createAdmin, createPasswordHasher } from "@voiceassist/api";

import type { TestServer } from "./server";

export const PASSWORD = "correct-horse-battery";

export const uniqueEmail = (label = "user") => `${label}-${randomBytes(5).toString("hex")}@example.com`;

const octet = () => randomBytes(1)[0]!;
/** A fresh client address (the test servers trust X-Forwarded-For from loopback). */
export const randomIp = () => `10.${octet()}.${octet()}.${octet()}`;

/** A client that appears to come from `ip`, optionally sending an access token. */
export function clientFrom(server: TestServer, ip = randomIp(), getAccessToken?: () => string | undefined) {
  return server.client({ headers: () => ({ "x-forwarded-for": ip }), getAccessToken });
}

/** Logs in and returns the pair and a client that sends its access token. */
export async function signIn(server: TestServer, email: string, password = PASSWORD) {
  const ip = randomIp();
  const tokens = tokenPair(await clientFrom(server, ip).auth.login.mutate({ email, password }));
  let accessToken = tokens.accessToken;
  return {
    ip,
    tokens,
    user: tokens.user,
    client: clientFrom(server, ip, () => accessToken),
    setAccessToken: (token: string) => {
      accessToken = token;
    },
  };
}

/** Registers a fresh user and signs in. */
export async function signUp(server: TestServer, options: { email?: string; password?: string; fullName?: string } = {}) {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? PASSWORD;
  await clientFrom(server).auth.register.mutate({ email, password, fullName: options.fullName });
  return { email, password, ...(await signIn(server, email, password)) };
}

/** Creates an admin straight in the database (as `admin:create` does) and signs in. */
export async function signUpAdmin(server: TestServer) {
  const email = uniqueEmail("admin");
  const { db, nextcloudProvisioning } = server.deps.api;
  await createAdmin({ db, nextcloudProvisioning, passwords: createPasswordHasher(4) }, { email, password: PASSWORD });
  return { email, password: PASSWORD, ...(await signIn(server, email)) };
}

/** Raw HTTP for what the typed client hides: status codes and headers. */
export async function post(server: TestServer, path: string, input: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.trpcUrl}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: input }),
  });
  return { response, body: (await response.json()) as any };
}

export async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.trpcUrl}/${path}`, { headers });
  return { response, body: (await response.json()) as any };
}

/** Resolves to the tRPC error code a call failed with (or "OK"). */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code ?? `NOT_TRPC: ${String(error)}`;
  }
}

/** The error code and `reason` a call failed with, as "CODE" or "CODE/REASON" (or "OK"). */
export async function refusalOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    const data = (error as { data?: { code?: string; reason?: string } }).data;
    if (!data?.code) return `NOT_TRPC: ${String(error)}`;
    return data.reason ? `${data.code}/${data.reason}` : data.code;
  }
}

/** Narrows auth.login's answer to the TokenPair an account without a second factor gets (throws on an MfaChallenge). */
export function tokenPair<T extends object>(result: T): Exclude<T, { mfaRequired: true }> {
  if ("mfaRequired" in result) throw new Error("expected a TokenPair, got an MfaChallenge");
  return result as Exclude<T, { mfaRequired: true }>;
}
