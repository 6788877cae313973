/**
 * A full OpenID Connect code flow against the provider, as a relying party,
 * a browser and the web app drive it together, timed from the authorization
 * request to the token response: authorize → interaction redirect → the web
 * app's oidc.interaction.complete (the user already signed in) → finish →
 * resume → code at the redirect URI → token request (PKCE, client_secret_basic).
 * One flow at a time; p50/p99 of the whole, and p50 of each step.
 *
 *   npx tsx bench/oidc-code-flow.ts      (BENCH_FLOWS=200)
 */
import { createHash, randomBytes } from "node:crypto";

import { hash } from "@node-rs/bcrypt";

import { freePort } from "@voiceassist/testing/ports";

import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { ms, printHeader, printLoad, summarize } from "./lib/stats";
import { login, mutation } from "./lib/trpc";

const FLOWS = envInt("BENCH_FLOWS", 200);
const WARMUP = 10;
const REDIRECT_URI = "http://rp.bench/callback";
const STEPS = ["authorize", "interaction", "complete", "finish", "resume", "token"] as const;

/** The browser's cookies for the API's host (paths ignored: one flow at a time, all on one host). */
class Jar {
  private readonly cookies = new Map<string, string>();
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      this.cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
  }
}

async function browse(jar: Jar, url: string): Promise<string> {
  const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.keep(response);
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (response.status !== 303 && response.status !== 302)
    throw new Error(`expected a redirect from ${new URL(url).pathname}, got ${response.status}`);
  return new URL(location as string, url).toString();
}

await withCleanup(async (defer) => {
  printHeader("oidc: full authorization code flow (authorize → token), one at a time");
  const db = await createBenchDatabase("oidc");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, 2, await hash(PASSWORD, 4));
  await db.sql`update users set is_admin = true where email = ${benchUserEmail(1)}`;

  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const server = await startServer({
    databaseUrl: db.url,
    port,
    env: {
      OIDC_ISSUER: issuer,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      // The bench admin signs in with a password only.
      MFA_REQUIRED_FOR_ADMINS: "false",
    },
  });
  defer(() => server.stop());

  const ips = ipSequence();
  const admin = await login(server.url, benchUserEmail(1), PASSWORD, ips());
  const client = await mutation<{ clientId: string; clientSecret: string }>(
    server.url,
    "oidc.clients.create",
    { name: "Bench RP", redirectUris: [REDIRECT_URI] },
    { token: admin.accessToken },
  );
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
  const user = await login(server.url, benchUserEmail(2), PASSWORD, ips());

  const totals: number[] = [];
  const perStep = new Map<string, number[]>(STEPS.map((step) => [step, []]));
  for (let n = 0; n < WARMUP + FLOWS; n++) {
    const jar = new Jar();
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: client.clientId,
      response_type: "code",
      redirect_uri: REDIRECT_URI,
      scope: "openid email profile groups",
      state: randomBytes(8).toString("base64url"),
      nonce: randomBytes(8).toString("base64url"),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    }).toString();

    const marks: number[] = [performance.now()];
    const interaction = await browse(jar, authorize.toString());
    marks.push(performance.now());
    const webPage = await browse(jar, interaction);
    marks.push(performance.now());
    const uid = new URL(webPage).searchParams.get("uid") as string;
    const { redirectTo } = await mutation<{ redirectTo: string }>(
      server.url,
      "oidc.interaction.complete",
      { uid },
      { token: user.accessToken },
    );
    marks.push(performance.now());
    const resume = await browse(jar, redirectTo);
    marks.push(performance.now());
    const callback = new URL(await browse(jar, resume));
    marks.push(performance.now());
    const code = callback.searchParams.get("code");
    if (!code) throw new Error(`no code at the redirect URI: ${callback.searchParams.get("error") ?? "?"}`);
    const token = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
    });
    const body = (await token.json()) as { id_token?: string };
    marks.push(performance.now());
    if (!token.ok || !body.id_token) throw new Error(`token request failed: HTTP ${token.status}`);

    if (n < WARMUP) continue;
    totals.push((marks.at(-1) as number) - (marks[0] as number));
    for (const [i, step] of STEPS.entries()) perStep.get(step)?.push((marks[i + 1] as number) - (marks[i] as number));
  }

  const all = summarize(totals);
  console.log(
    `full code flow, ${all.count} sequential flows (after ${WARMUP} warm-up): p50 ${ms(all.p50)}  p90 ${ms(all.p90)}  p99 ${ms(all.p99)}  max ${ms(all.max)}`,
  );
  console.log(`per step p50: ${STEPS.map((step) => `${step} ${ms(summarize(perStep.get(step) ?? []).p50)}`).join("  ")}`);
  printLoad("at end");
});
