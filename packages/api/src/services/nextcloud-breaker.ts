import { NextcloudError } from "@voiceassist/nextcloud";

/** Why calls to Nextcloud are paused. */
export type BreakerReason = "credentials_rejected" | "throttled";

export type BreakerStatus = { state: "closed" } | { state: "open"; reason: BreakerReason; since: Date; retryAt: Date };

export interface BreakerOptions {
  /** Pause after a refused login (997) before one re-check; a few minutes keeps us far below 10 per 30 min. */
  recheckMs?: number;
  /** Pause after brute-force protection answered (OCS 429): past Nextcloud's 30-minute window. */
  throttledMs?: number;
  now?: () => number;
}

export const DEFAULT_RECHECK_MS = 10 * 60_000;
export const THROTTLED_BACKOFF_MS = 31 * 60_000;

/**
 * Every call with refused credentials is a failed login that Nextcloud's brute-force protection
 * counts against our address; after 10 it locks out everyone behind it. So the first refusal
 * stops all calls (worker and readiness share one breaker) until a single re-check succeeds.
 */
export function createNextcloudBreaker(options: BreakerOptions = {}) {
  const { recheckMs = DEFAULT_RECHECK_MS, throttledMs = THROTTLED_BACKOFF_MS, now = Date.now } = options;
  let status: BreakerStatus = { state: "closed" };
  let recheck: Promise<boolean> | undefined;

  function trip(reason: BreakerReason) {
    const at = now();
    const since = status.state === "open" ? status.since : new Date(at);
    status = { state: "open", reason, since, retryAt: new Date(at + (reason === "throttled" ? throttledMs : recheckMs)) };
  }

  /** Trips on answers that mean "stop logging in"; returns whether it did. */
  function observe(error: unknown): boolean {
    const reason = breakerReason(error);
    if (reason) trip(reason);
    return reason !== undefined;
  }

  return {
    status: (): BreakerStatus => status,
    trip,
    observe,
    /**
     * True when calls may go out. While open and due, runs `check` once (callers share it):
     * success closes the breaker, a refusal re-opens it, any other failure waits another round.
     */
    async admit(check: () => Promise<void>): Promise<boolean> {
      if (status.state === "closed") return true;
      if (now() < status.retryAt.getTime()) return false;
      recheck ??= check().then(
        () => {
          status = { state: "closed" };
          return true;
        },
        (error: unknown) => {
          if (!observe(error) && status.state === "open") trip(status.reason);
          return false;
        },
      );
      try {
        return await recheck;
      } finally {
        recheck = undefined;
      }
    },
  };
}

export type NextcloudBreaker = ReturnType<typeof createNextcloudBreaker>;

/** 997 (refused credentials) and OCS 429 (brute-force "Reached maximum delay") pause everything. */
export function breakerReason(error: unknown): BreakerReason | undefined {
  if (!(error instanceof NextcloudError)) return undefined;
  if (error.kind === "unauthorized") return "credentials_rejected";
  // An HTTP 429 without OCS envelope is the per-account edit limit: only that job backs off.
  if (error.kind === "throttled" && error.statuscode === 429) return "throttled";
  return undefined;
}

export const BREAKER_DETAIL: Record<BreakerReason, string> = {
  credentials_rejected: "credentials rejected",
  throttled: "throttled by brute-force protection",
};
