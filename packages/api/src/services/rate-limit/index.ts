export { LIMITS } from "./limits";
export type { LimitDecision, LimitName, RateLimiter } from "./limits";
export { createMemoryRateLimiter } from "./memory";
export { createRedisRateLimiter, upstashAdapter } from "./redis";
export type { ScriptingRedisClient } from "./redis";
export { withFallback } from "./fallback";
export { spendLimit } from "./enforce";
