import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { isNull } from "drizzle-orm";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import * as oidc from "openid-client";
import { afterAll, describe, expect, it } from "vitest";

import { createSecretBox, parseDataKey, rotateSigningKeys } from "@voiceassist/api";
import { createDatabase, oidcSigningKeys } from "@voiceassist/db";
import { createTestDatabase } from "@voiceassist/testing/database";
import { minimalChildEnv, testEnv } from "@voiceassist/testing/env";
import { freePort } from "@voiceassist/testing/ports";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { signIn, signUp } from "@voiceassist/testing/users";
import { until } from "@voiceassist/testing/wait";

import { completeFlow, discover, redeem, registerClient, startFlow, WEB_URL } from "./support";

/**
 * Signing keys: made on first use, sealed at rest, rotated without breaking
 * tokens already issued; and the provider's storage surviving a restart.
 */
const dataKeyText = randomBytes(32).toString("base64");
const box = createSecretBox({ version: 1, key: parseDataKey(dataKeyText) as Buffer });
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const step of cleanups.reverse()) await step();
});

async function fetchJwks(issuer: string): Promise<JSONWebKeySet> {
  return (await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet;
}

describe("signing keys", () => {
  it("keeps the old key published after a rotation: old tokens verify, new ones use the new key", async () => {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/oidc`;
    const server: TestServer = await startTestServer({
      port,
      env: { OIDC_ISSUER: issuer, WEB_URL, DATA_ENCRYPTION_KEY: dataKeyText, OIDC_KEY_RELOAD_MS: "50" },
    });
    cleanups.push(() => server.close());
    const origin = new URL(issuer).origin;
    const { clientId, clientSecret } = await registerClient(server);
    const config = await discover(issuer, clientId, clientSecret);
    const user = await signUp(server);

    const signInAtRp = async () => {
      const flow = await startFlow(config, origin);
      return redeem(config, await completeFlow(flow, user, origin), flow);
    };
    const before = await signInAtRp();
    const oldKid = decodeProtectedHeader(before.id_token as string).kid;
    expect((await fetchJwks(issuer)).keys.map((k) => k.kid)).toEqual([oldKid]);
    // Published keys are public: no private part leaves the server.
    for (const key of (await fetchJwks(issuer)).keys) expect(key).not.toHaveProperty("d");

    const { kid: newKid, retired } = await rotateSigningKeys(server.deps.api.db, box, 3600);
    expect(retired).toEqual([oldKid]);
    await until(async () => (await fetchJwks(issuer)).keys.length === 2);

    const after = await signInAtRp();
    expect(decodeProtectedHeader(after.id_token as string).kid).toBe(newKid);
    const jwks = createLocalJWKSet(await fetchJwks(issuer));
    for (const token of [before.id_token, after.id_token]) {
      await expect(jwtVerify(token as string, jwks, { issuer, audience: clientId })).resolves.toBeTruthy();
    }
    expect((await fetchJwks(issuer)).keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // At rest the private key is sealed: the row holds no JWK in the clear.
    const rows = await server.deps.api.db.select().from(oidcSigningKeys);
    for (const row of rows) expect(row.privateJwkCiphertext).not.toContain('"d"');
    const [current] = await server.deps.api.db.select().from(oidcSigningKeys).where(isNull(oidcSigningKeys.retiredAt));
    expect(current?.kid).toBe(newKid);
  });
});

/**
 * The first request after a restart on the same port may go out on a pooled
 * socket the old server closed (undici reports "other side closed" before
 * anything reached the new one): one retry, as a relying party would.
 */
async function afterStaleSocket<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
    return call();
  }
}

describe("storage", () => {
  it("keeps grants across a restart: a refresh token issued before it works after", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.destroy());
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}/oidc`;
    const start = () => startTestServer({ port, database, env: { OIDC_ISSUER: issuer, WEB_URL, DATA_ENCRYPTION_KEY: dataKeyText } });

    const first = await start();
    const origin = new URL(issuer).origin;
    const { clientId, clientSecret } = await registerClient(first);
    const config = await discover(issuer, clientId, clientSecret);
    const user = await signUp(first);
    const flow = await startFlow(config, origin, { scope: "openid offline_access", prompt: "consent" });
    const tokens = await redeem(config, await completeFlow(flow, user, origin), flow);
    await first.close();

    const second = await start();
    cleanups.push(() => second.close());
    const refreshed = await afterStaleSocket(() => oidc.refreshTokenGrant(config, tokens.refresh_token as string));
    expect(refreshed.claims()?.sub).toBe(user.user.id);
    // The same key signs after the restart: it was kept, not made again.
    expect(decodeProtectedHeader(refreshed.id_token as string).kid).toBe(decodeProtectedHeader(tokens.id_token as string).kid);
    // A flow started before the restart can still be finished by the web app after it.
    const pending = await startFlow(config, origin);
    const again = await signIn(second, user.email);
    expect((await completeFlow(pending, again, origin)).includes("code=")).toBe(true);
  });
});

describe("npm run oidc:rotate-keys", { timeout: 120_000 }, () => {
  it("adds a current key and retires the old one with a publication window", async () => {
    const cli = resolve(import.meta.dirname, "../../src/cli/rotate-oidc-keys.ts");
    const tsx = resolve(import.meta.dirname, "../../../../node_modules/.bin/tsx");
    let env: Record<string, string>;
    let open: () => ReturnType<typeof createDatabase>;
    if (testEnv.databaseUrl) {
      const database = await createTestDatabase();
      await database.handle.close();
      cleanups.push(() => database.destroy().catch(() => {}));
      env = { DATABASE_URL: database.url as string };
      open = () => createDatabase({ url: database.url as string });
    } else {
      const dir = await mkdtemp(join(tmpdir(), "va-oidc-keys-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      env = { DATA_DIR: dir };
      open = () => createDatabase({ dataDir: join(dir, "pglite") });
    }
    const run = () =>
      new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn(tsx, [cli], {
          env: { ...minimalChildEnv(), LOG_LEVEL: "silent", DATA_ENCRYPTION_KEY: dataKeyText, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("exit", (code) => done({ code, out }));
      });

    const result = await run();
    expect(result.code, result.out).toBe(0);
    const database = await open();
    try {
      const rows = await database.db.select().from(oidcSigningKeys);
      expect(rows).toHaveLength(2);
      const current = rows.filter((row) => row.retiredAt === null);
      const retired = rows.filter((row) => row.retiredAt !== null);
      expect(current).toHaveLength(1);
      expect(result.out).toContain(`new signing key ${current[0]?.kid} is current`);
      const window = (retired[0]?.publishUntil?.getTime() ?? 0) - (retired[0]?.retiredAt?.getTime() ?? 0);
      // Published for the ID token lifetime (an hour) plus a margin.
      expect(window).toBeGreaterThanOrEqual(3600_000);
      // Sealed under the data key: the box that knows it opens the current key.
      const jwk = JSON.parse(box.open(current[0]?.privateJwkCiphertext as string, 1, `oidc-signing-key:${current[0]?.kid}`));
      expect(jwk).toMatchObject({ kid: current[0]?.kid, alg: "RS256", kty: "RSA" });
    } finally {
      await database.close();
    }
  });
});
