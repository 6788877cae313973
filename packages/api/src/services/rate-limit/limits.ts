/** Per-client-IP budgets, as the API contract fixes them. */
export const LIMITS = {
  register: { tokens: 5, windowSeconds: 3600 },
  login: { tokens: 10, windowSeconds: 60 },
  refresh: { tokens: 20, windowSeconds: 60 },
} as const;

export type LimitName = keyof typeof LIMITS;

export interface LimitDecision {
  allowed: boolean;
  /** Whole seconds until a retry can succeed; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Spends one unit of `name`'s budget for `key` (a client IP). */
  limit(name: LimitName, key: string): Promise<LimitDecision>;
}

export function decision(allowed: boolean, resetAtMs: number, nowMs = Date.now()): LimitDecision {
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000)) };
}
