import type { Database } from "@voiceassist/db";

import type { ApiDeps } from "./context";
import { createPasswordHasher } from "./services/passwords";
import { createMemoryRateLimiter } from "./services/rate-limit";
import { createTokenService } from "./services/tokens";

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Deps for router and service tests without HTTP: cheap bcrypt, in-process limits, no logs. */
export function testApiDeps(db: Database, overrides: Partial<ApiDeps> = {}): ApiDeps {
  return {
    db,
    passwords: createPasswordHasher(4),
    tokens: createTokenService({ secret: "x".repeat(32), accessTtlSeconds: 900, refreshTtlSeconds: 604800 }),
    sessionPolicy: { refreshTtlSeconds: 604800, maxAgeSeconds: 30 * 86400, maxPerUser: 20 },
    limiter: createMemoryRateLimiter(),
    readiness: async () => ({ status: "ready", checks: {} as never }),
    logger: silent,
    nextcloudProvisioning: false,
    version: "test",
    startedAt: new Date(),
    ...overrides,
  };
}
