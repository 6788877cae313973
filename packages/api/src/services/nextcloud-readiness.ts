import type { NextcloudClient } from "@voiceassist/nextcloud";

import { BREAKER_DETAIL, type NextcloudBreaker } from "./nextcloud-breaker";
import { ProbeError, type Probe } from "./readiness";

const STATE_HINTS: Record<string, string> = {
  not_installed: "initializing",
  maintenance: "maintenance mode",
  needs_upgrade: "needs upgrade",
};

/** status.php answering says nothing about our credentials; this bounds how often we prove them. */
export const CREDENTIALS_CACHE_MS = 30_000;

/**
 * health.ready's Nextcloud check: status.php, then an authenticated call (capabilities) at most
 * once per 30 s. It never logs in while the breaker is open (each refused login counts towards
 * Nextcloud's brute-force lockout) and trips the breaker itself on a refusal.
 */
export function nextcloudProbe(
  nextcloud: Pick<NextcloudClient, "healthCheck" | "checkCredentials">,
  breaker: NextcloudBreaker,
  now: () => number = Date.now,
): Probe {
  let provenAt: number | undefined;
  return {
    required: false,
    async run() {
      const open = breaker.status();
      if (open.state === "open") throw new ProbeError(BREAKER_DETAIL[open.reason]);
      const health = await nextcloud.healthCheck().catch(() => {
        throw new ProbeError("unreachable or not answering");
      });
      if (!health.healthy) throw new ProbeError(STATE_HINTS[health.state] ?? health.state);
      if (provenAt !== undefined && now() - provenAt < CREDENTIALS_CACHE_MS) return;
      try {
        await nextcloud.checkCredentials();
        provenAt = now();
      } catch (error) {
        provenAt = undefined;
        if (breaker.observe(error)) {
          const status = breaker.status();
          throw new ProbeError(status.state === "open" ? BREAKER_DETAIL[status.reason] : "credentials rejected");
        }
        throw new ProbeError("unreachable or not answering");
      }
    },
  };
}
