import { createHash } from "node:crypto";

import type { Database } from "@voiceassist/db";

import { RateLimitedError } from "../../errors";
import { recordAudit, type AuditOrigin } from "../audit";
import type { LimitName, RateLimiter } from "./limits";

/**
 * Spends one unit of `name`'s budget for `key`; past it, throws
 * RateLimitedError. A refusal is audited once per limit, key and window, not
 * once per refused call. `procedure` names the call in the event.
 */
export async function spendLimit(
  deps: { db: Database; limiter: RateLimiter },
  origin: AuditOrigin,
  name: LimitName,
  key: string,
  procedure: string,
): Promise<void> {
  const verdict = await deps.limiter.limit(name, key);
  if (verdict.allowed) return;
  await recordAudit(deps.db, origin, {
    action: "ratelimit.exceeded",
    outcome: "failure",
    detail: { limit: name, procedure, retryAfterSeconds: verdict.retryAfterSeconds },
    dedupeKey: verdict.windowEndsAtMs === undefined ? undefined : refusalKey(name, key, verdict.windowEndsAtMs),
  });
  throw new RateLimitedError(verdict.retryAfterSeconds);
}

/** One refusal per limit, key and window; the key is hashed so no IP or id is spelled out twice. */
const refusalKey = (name: LimitName, key: string, windowEndsAtMs: number) =>
  `ratelimit:${name}:${createHash("sha256").update(key).digest("base64url").slice(0, 32)}:${windowEndsAtMs}`;
