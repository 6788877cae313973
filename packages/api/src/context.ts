import type { Database } from "@voiceassist/db";

import type { AuditOrigin } from "./services/audit";
import type { PasswordHasher } from "./services/passwords";
import type { MfaSettings } from "./services/mfa/settings";
import type { RateLimiter } from "./services/rate-limit";
import type { SessionPolicy } from "./services/sessions";
import type { checkReadiness } from "./services/readiness";
import type { MailDeps } from "./services/mail";
import type { TokenService } from "./services/tokens";
import type { OidcRuntime } from "./services/oidc/runtime";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Long-lived dependencies, built once per process (or per test). */
export interface ApiDeps {
  db: Database;
  passwords: PasswordHasher;
  tokens: TokenService;
  sessionPolicy: SessionPolicy;
  limiter: RateLimiter;
  /** Second factors: the key for TOTP secrets, the admin policy, the WebAuthn relying party. */
  mfa: MfaSettings;
  readiness: () => ReturnType<typeof checkReadiness>;
  logger: Logger;
  /** Outbox settings and this instance's worker nudge (services/mail). */
  mail: MailDeps;
  /** REQUIRE_EMAIL_VERIFICATION: sign-in refuses an unverified email (FORBIDDEN, EMAIL_NOT_VERIFIED). */
  requireEmailVerification: boolean;
  /** True when Nextcloud is configured: user changes are queued for provisioning. */
  nextcloudProvisioning: boolean;
  /** The OpenID Provider (single sign-on); null when it cannot run (no DATA_ENCRYPTION_KEY). */
  oidc: OidcRuntime | null;
  version: string;
  startedAt: Date;
}

/** What one request brings: where it came from and its credentials. */
export interface RequestInfo extends AuditOrigin {
  /** What per-IP rate limits count by (an IPv6 client by its /64); `ip` when absent. */
  limitKey?: string;
  /** The raw `Authorization` header, if any. */
  authorization: string | null;
}

/**
 * Two keys, not the deps spread out: tRPC copies the context at every
 * middleware that adds to it, and every protected call paid for copying
 * fourteen deps (bench/README.md). Handlers hand services `ctx.deps` and
 * `ctx.request` separately, so no service gets the request twice.
 */
export interface Context {
  deps: ApiDeps;
  request: RequestInfo;
}

/**
 * Inner context: deps plus request facts, with no transport objects (tests
 * build it directly). With `clientGone` (the transport's signal for a client
 * that hung up, made on first use), password work this request queued is
 * dropped rather than run for nobody.
 */
export function createContext(deps: ApiDeps, request: RequestInfo, clientGone?: () => AbortSignal): Context {
  return { deps: clientGone ? { ...deps, passwords: deps.passwords.forRequest(clientGone) } : deps, request };
}
