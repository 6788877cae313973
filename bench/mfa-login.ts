/**
 * Added latency of the second sign-in step: password-only sign-ins (an account
 * without a second factor) against password + auth.mfa.verify with a real TOTP
 * code (an enrolled account), interleaved in the same run, in-process through
 * the router on the configured database (Postgres with DATABASE_URL, else
 * PGlite). BCRYPT_ROUNDS 12 as in production; limits off so only the work counts.
 *
 *   npx tsx --conditions=@voiceassist/source bench/mfa-login.ts      (BENCH_ROUNDS=60)
 */
import { randomBytes } from "node:crypto";

import {
  createCaller,
  createContext,
  createPasswordHasher,
  createSecretBox,
  createTokenService,
  totpCodeAt,
  type ApiDeps,
} from "@voiceassist/api";
import { createTestDatabase } from "@voiceassist/testing/database";
import { testEnv } from "@voiceassist/testing/env";

import { envInt } from "./lib/env";

const ROUNDS = envInt("BENCH_ROUNDS", 60);
const PASSWORD = "bench-password-1";

const db = await createTestDatabase();
let clock = Date.now();
const deps: ApiDeps = {
  db: db.handle.db,
  passwords: createPasswordHasher(12),
  tokens: createTokenService({ secret: "b".repeat(32), accessTtlSeconds: 900, refreshTtlSeconds: 604800 }),
  sessionPolicy: { refreshTtlSeconds: 604800, maxAgeSeconds: 30 * 86400, maxPerUser: 1000 },
  limiter: { limit: async () => ({ allowed: true, retryAfterSeconds: 0 }) },
  mfa: {
    secretBox: createSecretBox({ version: 1, key: randomBytes(32) }),
    requiredForAdmins: false,
    webauthn: { rpId: "localhost", rpName: "VoiceAssist", origins: ["http://localhost:3000"] },
    now: () => clock,
  },
  readiness: async () => ({ status: "ready", checks: {} as never }),
  logger: { info: () => {}, warn: () => {}, error: () => {} },
  nextcloudProvisioning: false,
  // Mail stays in the outbox (the dev mailbox): this bench measures sign-in only.
  mail: {
    settings: {
      productName: "VoiceAssist",
      webUrl: "http://localhost:3000",
      adminUrl: "http://localhost:3001",
      messageIdDomain: "localhost",
    },
    wake: () => {},
  },
  requireEmailVerification: false,
  oidc: null,
  version: "bench",
  startedAt: new Date(),
};
const caller = (authorization: string | null = null) =>
  createCaller(createContext(deps, { ip: "203.0.113.9", userAgent: "bench", requestId: null, authorization }));

async function account(enrol: boolean) {
  const email = `bench-${randomBytes(4).toString("hex")}@example.com`;
  await caller().auth.register({ email, password: PASSWORD });
  const pair = await caller().auth.login({ email, password: PASSWORD });
  if (!enrol || "mfaRequired" in pair) return { email, secret: "" };
  const as = caller(`Bearer ${pair.accessToken}`);
  const { secret } = await as.mfa.totp.begin({ currentPassword: PASSWORD });
  await as.mfa.totp.confirm({ code: totpCodeAt(secret, clock) });
  return { email, secret };
}

const plain = await account(false);
const enrolled = await account(true);
const timesPlain: number[] = [];
const timesMfa: number[] = [];
const timesVerify: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  let start = performance.now();
  await caller().auth.login({ email: plain.email, password: PASSWORD });
  timesPlain.push(performance.now() - start);

  clock += 30_000; // a fresh TOTP step each round, as a real user's next sign-in has
  start = performance.now();
  const challenge = await caller().auth.login({ email: enrolled.email, password: PASSWORD });
  if (!("mfaRequired" in challenge)) throw new Error("expected a challenge");
  const verifyStart = performance.now();
  await caller().auth.mfa.verify({ challengeToken: challenge.challengeToken, totpCode: totpCodeAt(enrolled.secret, clock) });
  timesVerify.push(performance.now() - verifyStart);
  timesMfa.push(performance.now() - start);
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
const row = (label: string, v: number[]) =>
  console.log(`${label.padEnd(34)} p50 ${pct(v, 50).toFixed(1)} ms   p99 ${pct(v, 99).toFixed(1)} ms`);
console.log(`second-step latency — ${ROUNDS} rounds, BCRYPT_ROUNDS=12, ${testEnv.databaseUrl ? "Postgres" : "PGlite"}`);
row("password only (auth.login)", timesPlain);
row("password + auth.mfa.verify (TOTP)", timesMfa);
row("auth.mfa.verify alone", timesVerify);
console.log(
  `added by the second step: p50 ${(pct(timesMfa, 50) - pct(timesPlain, 50)).toFixed(1)} ms, p99 ${(pct(timesMfa, 99) - pct(timesPlain, 99)).toFixed(1)} ms`,
);
await db.destroy();
