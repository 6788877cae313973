import { randomBytes } from "node:crypto";

import { eq } from "drizzle-orm";

import { users } from "@voiceassist/db";
import type { Database } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { tokenPair } from "@voiceassist/testing/users";

import { createContext, type ApiDeps, type RequestInfo } from "../src/context";
import { createCaller } from "../src/root";
import { createSecretBox } from "../src/services/mfa/secret-box";
import type { MfaSettings } from "../src/services/mfa/settings";
import { createPasswordHasher } from "../src/services/passwords";
import { createMemoryRateLimiter } from "../src/services/rate-limit";
import { createTokenService } from "../src/services/tokens";

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Second-factor settings for tests: a fresh key, the admin policy off, the default relying party. */
export function testMfaSettings(overrides: Partial<MfaSettings> = {}): MfaSettings {
  return {
    secretBox: createSecretBox({ version: 1, key: randomBytes(32) }),
    requiredForAdmins: false,
    webauthn: { rpId: "localhost", rpName: "VoiceAssist", origins: ["http://localhost:3000", "http://localhost:3001"] },
    now: Date.now,
    ...overrides,
  };
}

/** Deps for router and service tests without HTTP: cheap bcrypt, in-process limits, no logs. */
export function testApiDeps(db: Database, overrides: Partial<ApiDeps> = {}): ApiDeps {
  return {
    db,
    passwords: createPasswordHasher(4),
    tokens: createTokenService({ secret: "x".repeat(32), accessTtlSeconds: 900, refreshTtlSeconds: 604800 }),
    sessionPolicy: { refreshTtlSeconds: 604800, maxAgeSeconds: 30 * 86400, maxPerUser: 20 },
    limiter: createMemoryRateLimiter(),
    mfa: testMfaSettings(),
    readiness: async () => ({ status: "ready", checks: {} as never }),
    logger: silent,
    nextcloudProvisioning: false,
    mail: {
      settings: {
        productName: "VoiceAssist",
        webUrl: "http://web.test",
        adminUrl: "http://admin.test",
        messageIdDomain: "voiceassist.test",
      },
      wake: () => {},
    },
    requireEmailVerification: false,
    oidc: null,
    version: "test",
    startedAt: new Date(),
    ...overrides,
  };
}

export type Caller = ReturnType<typeof createCaller>;
export const PASSWORD = "caller-password-1";

/**
 * One test database and the router called in-process. Every caller gets its
 * own IP, so per-IP limits never couple tests; `signIn` goes through
 * auth.login, so a session is as real as over HTTP.
 */
export async function procedureHarness(overrides: Partial<ApiDeps> = {}) {
  const testDb: TestDatabase = await createTestDatabase();
  const deps = testApiDeps(testDb.handle.db, overrides);
  let ipCounter = 0;

  const caller = (request: Partial<RequestInfo> = {}): Caller =>
    createCaller(
      createContext(deps, {
        ip: `198.51.100.${(ipCounter++ % 250) + 1}`,
        userAgent: "vitest",
        requestId: `req-${ipCounter}`,
        authorization: null,
        ...request,
      }),
    );

  /** Registers a fresh account (admin when asked) and returns it with a signed-in caller. */
  async function signUp(options: { admin?: boolean } = {}) {
    const email = `u-${crypto.randomUUID()}@example.com`;
    const { user } = await caller().auth.register({ email, password: PASSWORD });
    if (options.admin) await deps.db.update(users).set({ isAdmin: true }).where(eq(users.id, user.id));
    const pair = tokenPair(await caller().auth.login({ email, password: PASSWORD }));
    return { user, email, pair, as: caller({ authorization: `Bearer ${pair.accessToken}` }) };
  }

  return { deps, db: deps.db, caller, signUp, destroy: () => testDb.destroy() };
}

export type ProcedureHarness = Awaited<ReturnType<typeof procedureHarness>>;
