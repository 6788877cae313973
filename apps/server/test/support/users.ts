import { randomBytes } from "node:crypto";

import type { TestServer } from "./server";

export const PASSWORD = "correct-horse-battery";

export const uniqueEmail = (label = "user") => `${label}-${randomBytes(5).toString("hex")}@example.com`;

/** Registers and logs in a fresh user; returns its token pair and a client that sends its access token. */
export async function signUp(server: TestServer, options: { email?: string; password?: string; fullName?: string } = {}) {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? PASSWORD;
  const anonymous = server.client();
  await anonymous.auth.register.mutate({ email, password, fullName: options.fullName });
  const tokens = await anonymous.auth.login.mutate({ email, password });
  let accessToken = tokens.accessToken;
  return {
    email,
    password,
    tokens,
    user: tokens.user,
    client: server.client({ getAccessToken: () => accessToken }),
    setAccessToken: (token: string) => {
      accessToken = token;
    },
  };
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

export const randomIp = () => `10.${rnd()}.${rnd()}.${rnd()}`;
const rnd = () => randomBytes(1)[0]!;
