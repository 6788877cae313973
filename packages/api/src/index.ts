export { appRouter, createCaller } from "./root";
export type { AppRouter, RouterInputs, RouterOutputs } from "./root";
export { createContext } from "./context";
export type { ApiDeps, Context, Logger, RequestInfo } from "./context";
export { DomainError, RateLimitedError } from "./errors";
export { REST_PREFIX } from "./rest-meta";
export type { RestAccess } from "./rest-meta";
export { tagWithRequestId } from "./error-request-ids";
export { createPasswordHasher } from "./services/passwords";
export type { PasswordHasher } from "./services/passwords";
export { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./services/tokens";
export type { TokenService } from "./services/tokens";
export { checkReadiness, NotReadyError, ProbeError } from "./services/readiness";
export type { CheckName, CheckResult, Checks, Probe } from "./services/readiness";
export {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  LIMITS,
  upstashAdapter,
  withFallback,
} from "./services/rate-limit";
export type { LimitName, RateLimiter, ScriptingRedisClient } from "./services/rate-limit";
export { deleteStaleSessions } from "./services/sessions";
export { createSecretBox, generateDataKey, parseDataKey } from "./services/mfa/secret-box";
export type { DataKey, SecretBox } from "./services/mfa/secret-box";
export type { MfaSettings, WebauthnSettings } from "./services/mfa/settings";
export type { MfaChallenge } from "./services/mfa/login-challenge";
export { deleteDeadMfaChallenges } from "./services/mfa/login-challenge";
export { deleteExpiredWebauthnChallenges } from "./services/mfa/webauthn-challenges";
export { resetUserMfa } from "./services/mfa/reset";
export { totpCodeAt } from "./services/mfa/totp";
export type { SessionPolicy } from "./services/sessions";
export { deleteExpiredAuditEvents } from "./services/audit";
export type { PublicUser } from "./services/public-user";
export type { TokenPair } from "./services/token-pair";
export { createAdmin, findUserByEmail, promoteToAdmin } from "./services/bootstrap-admin";
export { ensureAdmin, type EnsureAdminInput, type EnsureAdminOutcome } from "./services/ensure-admin";
export { startProvisioningWorker } from "./services/provisioning-worker";
export { createNextcloudBreaker, type BreakerStatus, type NextcloudBreaker } from "./services/nextcloud-breaker";
export { nextcloudProbe } from "./services/nextcloud-readiness";
export type { ProvisioningTarget } from "./services/provisioning-worker";
export { createSmtpProbe, createSmtpTransport, enqueueMail, listMailbox, renderMail, startMailWorker } from "./services/mail";
export type { MailDeps, MailSettings, MailTransport, MailWorker } from "./services/mail";
export { exponentialBackoff, startPollingLoop } from "./services/polling-loop";
export { createOidcRuntime, cookieKeysFrom } from "./services/oidc/runtime";
export type { OidcOptions, OidcRuntime } from "./services/oidc/runtime";
export { finishInteraction, FinishRefused } from "./services/oidc/interaction";
export { deleteExpiredOidcRecords } from "./services/oidc/adapter";
export { deleteUnpublishedSigningKeys, rotateSigningKeys, ensureSigningKey } from "./services/oidc/signing-keys";
export { page as oidcPage } from "./services/oidc/pages";
export { deleteSettledLogouts, endSingleSignOn, startLogoutWorker } from "./services/oidc/logout-outbox";
