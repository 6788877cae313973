import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

import { describe, expect, it } from "vitest";

import { bcryptConcurrency, loadConfig, mailDomain } from "./config";

const load = (env: Record<string, string>) => loadConfig(env, "/srv/app");
const failure = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("config was accepted");
};

describe("loadConfig", () => {
  it("adds the 127.0.0.1 spellings of the default origins only in development, and never to a configured list", () => {
    const twins = ["http://127.0.0.1:3000", "http://127.0.0.1:3001", "http://127.0.0.1:8080"];
    expect(load({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32) }).CORS_ORIGINS).not.toEqual(expect.arrayContaining([twins[0]]));
    expect(load({ CORS_ORIGINS: "http://localhost:3000" }).CORS_ORIGINS).toEqual(["http://localhost:3000"]);
    expect(load({}).CORS_ORIGINS).toEqual(expect.arrayContaining(twins));
  });

  it("applies the contract's defaults", () => {
    const config = load({});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 8000,
      ACCESS_TOKEN_EXPIRE_MINUTES: 15,
      REFRESH_TOKEN_EXPIRE_DAYS: 7,
      BCRYPT_ROUNDS: 12,
      CORS_ORIGINS: [
        "http://localhost:3000",
        "http://localhost:3001",
        "http://localhost:8080",
        // Development only: the URLs Vite prints.
        "http://127.0.0.1:3000",
        "http://127.0.0.1:3001",
        "http://127.0.0.1:8080",
      ],
      TRUST_PROXY: false,
      pgliteDir: "/srv/app/.data/pglite",
      ephemeralSecret: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Buffer.byteLength(config.jwtSecret)).toBeGreaterThanOrEqual(32);
  });

  it.each([
    [{ PORT: "abc" }, /^Invalid configuration: PORT /],
    [{ PORT: "70000" }, /PORT/],
    [{ PORT: "abc" }, /^Invalid configuration: PORT must be a port number \(0-65535\)$/],
    [{ JWT_SECRET: "short" }, /JWT_SECRET must be at least 32 bytes/],
    [{ NODE_ENV: "production" }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ JWT_ALGORITHM: "RS256" }, /JWT_ALGORITHM only HS256 is supported/],
    [{ BCRYPT_ROUNDS: "3" }, /BCRYPT_ROUNDS/],
    [{ DATABASE_URL: "not a url" }, /DATABASE_URL/],
    [{ CORS_ORIGINS: "http://ok.example,nope" }, /CORS_ORIGINS/],
    [{ TRUST_PROXY: "10.0.0.0/33" }, /TRUST_PROXY/],
    [{ TRUST_PROXY: "proxy.example" }, /TRUST_PROXY/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ NEXTCLOUD_URL: "http://nc.example" }, /^Invalid configuration: NEXTCLOUD_ADMIN_USER is required with NEXTCLOUD_URL/],
    [{ NEXTCLOUD_URL: "http://nc.example", NEXTCLOUD_ADMIN_USER: "admin" }, /: NEXTCLOUD_ADMIN_PASSWORD is required with NEXTCLOUD_URL/],
  ])("refuses %o with one line naming the variable", (env, message) => {
    const text = failure(env);
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });

  it("reads OIDC_ISSUER: the contract's default, a trailing slash dropped, and a path to mount at", () => {
    expect(load({}).OIDC_ISSUER).toBe("http://localhost:8000/oidc");
    expect(load({ OIDC_ISSUER: "https://sso.clinic.example/oidc/" }).OIDC_ISSUER).toBe("https://sso.clinic.example/oidc");
    expect(failure({ OIDC_ISSUER: "https://sso.clinic.example" })).toBe(
      "Invalid configuration: OIDC_ISSUER must have a path (e.g. /oidc) to mount the provider at",
    );
    expect(failure({ OIDC_ISSUER: "https://sso.clinic.example/trpc" })).toBe(
      "Invalid configuration: OIDC_ISSUER must not be under /trpc or /api",
    );
    expect(failure({ OIDC_ISSUER: "https://sso.clinic.example/oidc?x=1" })).toBe(
      "Invalid configuration: OIDC_ISSUER must not have a query or fragment",
    );
    expect(failure({ OIDC_ISSUER: "ftp://sso.clinic.example/oidc" })).toBe(
      "Invalid configuration: OIDC_ISSUER must be an http:// or https:// URL",
    );
  });

  it("never echoes a secret in its error", () => {
    expect(failure({ JWT_SECRET: "tiny-secret" })).not.toContain("tiny-secret");
  });

  it("parses TRUST_PROXY as a hop count or a list of addresses and CIDRs", () => {
    expect(load({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(load({ TRUST_PROXY: "10.0.0.1, 192.168.0.0/16,::1" }).TRUST_PROXY).toEqual(["10.0.0.1", "192.168.0.0/16", "::1"]);
    expect(load({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
  });

  it("accepts a production config with a long secret and treats empty URLs as unset", () => {
    const config = load({ NODE_ENV: "production", JWT_SECRET: "s".repeat(32), REDIS_URL: "", QDRANT_URL: "" });
    expect(config).toMatchObject({ ephemeralSecret: false, REDIS_URL: undefined, QDRANT_URL: undefined });
  });

  it("starts on .env.example copied as it is: embedded database, both origin spellings, no Nextcloud", () => {
    const example = parseEnv(readFileSync(new URL("../../../.env.example", import.meta.url), "utf8")) as Record<string, string>;
    const config = load(example);
    expect(config.NODE_ENV).toBe("development");
    expect([config.DATABASE_URL, config.REDIS_URL, config.NEXTCLOUD_URL]).toEqual([undefined, undefined, undefined]);
    expect(config.CORS_ORIGINS).toEqual(expect.arrayContaining(["http://localhost:3001", "http://127.0.0.1:3001"]));
  });

  it("reads the mail settings: smtp(s) URLs only, a From address, link bases and the verification switch", () => {
    expect(load({}).SMTP_URL).toBeUndefined();
    expect(load({})).toMatchObject({
      MAIL_FROM: "VoiceAssist <no-reply@localhost>",
      WEB_URL: "http://localhost:3000",
      ADMIN_URL: "http://localhost:3001",
      REQUIRE_EMAIL_VERIFICATION: false,
    });
    expect(load({ SMTP_URL: "smtps://user:p%40ss@smtp.example.org:465" }).SMTP_URL).toBe("smtps://user:p%40ss@smtp.example.org:465");
    expect(load({ SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(failure({ SMTP_URL: "http://smtp.example.org" })).toBe("Invalid configuration: SMTP_URL must be an smtp:// or smtps:// URL");
    expect(failure({ SMTP_URL: "smtp://user:secret-pw@" })).not.toContain("secret-pw");
    expect(failure({ MAIL_FROM: "not an address" })).toMatch(/^Invalid configuration: MAIL_FROM /);
    expect(load({ REQUIRE_EMAIL_VERIFICATION: "true" }).REQUIRE_EMAIL_VERIFICATION).toBe(true);
    expect(load({ REQUIRE_EMAIL_VERIFICATION: "0" }).REQUIRE_EMAIL_VERIFICATION).toBe(false);
    expect(failure({ REQUIRE_EMAIL_VERIFICATION: "yes" })).toBe("Invalid configuration: REQUIRE_EMAIL_VERIFICATION must be true or false");
    expect(mailDomain("VoiceAssist <no-reply@clinic.example>")).toBe("clinic.example");
    expect(mailDomain("alerts@mail.clinic.example")).toBe("mail.clinic.example");
  });

  it("runs as many bcrypt calls at once as the process has cores, one pool thread kept free, unless told otherwise", () => {
    const workers = (n: number) => load({ DATABASE_URL: "postgres://db/app", WEB_CONCURRENCY: String(n) });
    expect(bcryptConcurrency(load({}), 2, 4)).toBe(2);
    expect(bcryptConcurrency(workers(2), 2, 4)).toBe(1);
    expect(bcryptConcurrency(workers(3), 8, 4)).toBe(2);
    expect(bcryptConcurrency(workers(4), 2, 4)).toBe(1);
    // libuv's pool (4 threads by default) keeps one thread for WebCrypto and DNS.
    expect(bcryptConcurrency(load({}), 8, 4)).toBe(3);
    expect(bcryptConcurrency(load({}), 8, 16)).toBe(8);
    expect(bcryptConcurrency(load({}), 1, 1)).toBe(1);
    expect(bcryptConcurrency(load({ BCRYPT_CONCURRENCY: "6" }), 2, 4)).toBe(6);
    expect(failure({ BCRYPT_CONCURRENCY: "0" })).toMatch(/BCRYPT_CONCURRENCY/);
  });
});
