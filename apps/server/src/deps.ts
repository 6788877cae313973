import { mkdir } from "node:fs/promises";

import {
  createMemoryRateLimiter,
  createNextcloudBreaker,
  createPasswordHasher,
  createRedisRateLimiter,
  createSmtpProbe,
  createSmtpTransport,
  createSecretBox,
  createTokenService,
  createOidcRuntime,
  deleteExpiredOidcRecords,
  deleteSettledLogouts,
  deleteUnpublishedSigningKeys,
  deleteDeadMfaChallenges,
  deleteExpiredAuditEvents,
  deleteExpiredWebauthnChallenges,
  deleteStaleSessions,
  startLogoutWorker,
  startMailWorker,
  startProvisioningWorker,
  withFallback,
  type ApiDeps,
  type Logger,
  type MailSettings,
  type RateLimiter,
} from "@voiceassist/api";
import { createDatabase, migrateDatabase, safeErrorMessage, type DatabaseHandle } from "@voiceassist/db";
import { createNextcloudClient } from "@voiceassist/nextcloud";
import { loadCommonPasswords } from "@voiceassist/shared/common-passwords";

import { bcryptConcurrency, mailDomain, type Config } from "./config";
import { lockDataDir } from "./data-dir-lock";
import { readTemplate } from "./pglite-template";
import { createReadiness } from "./readiness";
import type { RedisClient } from "./redis";
import { version } from "./version";

export interface ServerDeps {
  api: ApiDeps;
  redis: RedisClient | null;
  close(): Promise<void>;
}

export interface DepsOverrides {
  /** Redis key prefix for rate limits; tests give each run its own. */
  rateLimitPrefix?: string;
  /** An already migrated database to use instead of the configured one (tests). */
  database?: DatabaseHandle;
}

const SESSION_SWEEP_MS = 60 * 60 * 1000;
/** The name the mails sign with. */
const PRODUCT_NAME = "VoiceAssist";
const AUDIT_SWEEP_MS = 24 * 60 * 60 * 1000;

/** Connects to everything the API needs and migrates the database; `close()` undoes it all. */
export async function createServerDeps(config: Config, logger: Logger, overrides: DepsOverrides = {}): Promise<ServerDeps> {
  const database = overrides.database ?? (await openConfiguredDatabase(config));

  // The common-password list takes ~0.5 s to load: pay it at start, not on someone's first sign-up.
  loadCommonPasswords();

  // Imported only when configured: the client is ~1.5 MB of the bundle the embedded default need not compile.
  const redis = config.REDIS_URL ? await (await import("./redis")).connectRedis(config.REDIS_URL, logger) : null;
  const memoryLimiter = createMemoryRateLimiter();
  let limiter: RateLimiter = memoryLimiter;
  if (redis) {
    let lastWarning = 0;
    limiter = withFallback(createRedisRateLimiter(redis, overrides.rateLimitPrefix ?? "voiceassist:rl"), memoryLimiter, {
      timeoutMs: 500,
      onFallback: (error) => {
        // One line per 10 s at most, however many calls fall back.
        if (Date.now() - lastWarning < 10_000) return;
        lastWarning = Date.now();
        logger.warn({ reason: safeErrorMessage(error) }, "rate limiter using in-process fallback");
      },
    });
  }

  const sweep = setInterval(() => {
    Promise.all([
      deleteStaleSessions(database.db),
      deleteDeadMfaChallenges(database.db),
      deleteExpiredWebauthnChallenges(database.db),
      deleteExpiredOidcRecords(database.db),
      deleteUnpublishedSigningKeys(database.db),
      deleteSettledLogouts(database.db),
    ]).catch((error: unknown) => logger.warn({ reason: safeErrorMessage(error) }, "session sweep failed"));
  }, SESSION_SWEEP_MS).unref();
  if (!config.dataKeys.current) {
    logger.warn({}, "DATA_ENCRYPTION_KEY is unset: authenticator-app second factors are unavailable until it is set");
  }
  const sweepAudit = () =>
    deleteExpiredAuditEvents(database.db, config.AUDIT_RETENTION_DAYS).catch((error: unknown) =>
      logger.warn({ reason: safeErrorMessage(error) }, "audit retention sweep failed"),
    );
  // Once at start (an instance may never live a whole day), then daily.
  void sweepAudit();
  const auditSweep = setInterval(sweepAudit, AUDIT_SWEEP_MS).unref();

  const nextcloudAccount = nextcloudCredentials(config);
  const nextcloud = nextcloudAccount ? createNextcloud(nextcloudAccount, config.NEXTCLOUD_RECHECK_MS) : null;
  const worker = nextcloud
    ? startProvisioningWorker({
        db: database.db,
        nextcloud: nextcloud.provisioning,
        breaker: nextcloud.breaker,
        logger,
        pollMs: config.PROVISIONING_POLL_MS,
        backoffMs: config.PROVISIONING_BACKOFF_MS,
      })
    : null;

  // Mail: over SMTP when configured, else kept in the outbox for the development mailbox.
  const mailWorker = startMailWorker({
    db: database.db,
    transport: config.SMTP_URL ? createSmtpTransport({ url: config.SMTP_URL, from: config.MAIL_FROM }) : null,
    logger,
    pollMs: config.MAIL_POLL_MS,
    backoffMs: config.MAIL_BACKOFF_MS,
    // Links carry tokens: only the development mailbox may print them.
    logLinks: !config.SMTP_URL && config.NODE_ENV !== "production",
  });
  if (!config.SMTP_URL && config.NODE_ENV === "production") {
    logger.warn({}, "SMTP_URL is unset: mails (password resets, invitations) stay in the outbox and are not delivered");
  }
  const smtpProbe = config.SMTP_URL ? createSmtpProbe(config.SMTP_URL) : null;

  const secretBox = createSecretBox(config.dataKeys.current, config.dataKeys.previous);
  const oidc = config.dataKeys.current ? createOidcRuntime({ db: database.db, secretBox, logger }, oidcOptions(config)) : null;
  // Back-channel logouts queued when a user's sessions end, delivered from any instance.
  const logoutWorker = oidc
    ? startLogoutWorker({ db: database.db, oidc, logger, pollMs: config.OIDC_LOGOUT_POLL_MS, backoffMs: config.OIDC_LOGOUT_BACKOFF_MS })
    : null;

  const api: ApiDeps = {
    db: database.db,
    passwords: createPasswordHasher(config.BCRYPT_ROUNDS, bcryptConcurrency(config), config.BCRYPT_MAX_QUEUE),
    tokens: createTokenService({
      secret: config.jwtSecret,
      accessTtlSeconds: Math.round(config.ACCESS_TOKEN_EXPIRE_MINUTES * 60),
      refreshTtlSeconds: Math.round(config.REFRESH_TOKEN_EXPIRE_DAYS * 86400),
    }),
    sessionPolicy: {
      refreshTtlSeconds: Math.round(config.REFRESH_TOKEN_EXPIRE_DAYS * 86400),
      maxAgeSeconds: Math.round(config.SESSION_MAX_DAYS * 86400),
      maxPerUser: config.MAX_SESSIONS_PER_USER,
    },
    limiter,
    mfa: {
      secretBox,
      requiredForAdmins: config.mfaRequiredForAdmins,
      webauthn: { rpId: config.WEBAUTHN_RP_ID, rpName: config.WEBAUTHN_RP_NAME, origins: config.WEBAUTHN_ORIGINS },
      now: Date.now,
    },
    readiness: createReadiness({
      config,
      database,
      redis,
      nextcloud: nextcloud ? { client: nextcloud.probe, breaker: nextcloud.breaker } : null,
      smtp: smtpProbe,
    }),
    logger,
    nextcloudProvisioning: nextcloud !== null,
    mail: {
      settings: mailSettingsFrom(config),
      wake: mailWorker.wake,
    },
    requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
    oidc,
    version,
    startedAt: new Date(),
  };

  return {
    api,
    redis,
    async close() {
      clearInterval(sweep);
      clearInterval(auditSweep);
      await logoutWorker?.stop();
      oidc?.close();
      await worker?.stop();
      await mailWorker.stop();
      smtpProbe?.close();
      if (redis?.isOpen) await redis.close().catch(() => redis.destroy());
      if (!overrides.database) await database.close();
    },
  };
}

/** The OpenID Provider's settings; its lifetimes follow the API's own tokens and sessions. */
export function oidcOptions(config: Config) {
  return {
    issuer: config.OIDC_ISSUER,
    webUrl: config.WEB_URL,
    dataKeys: config.dataKeys,
    keyReloadMs: config.OIDC_KEY_RELOAD_MS,
    ttl: {
      accessToken: Math.round(config.ACCESS_TOKEN_EXPIRE_MINUTES * 60),
      idToken: OIDC_ID_TOKEN_TTL_SECONDS,
      refreshToken: Math.round(config.REFRESH_TOKEN_EXPIRE_DAYS * 86400),
      session: Math.round(config.SESSION_MAX_DAYS * 86400),
      interaction: 600,
    },
  };
}

/** ID tokens live an hour; a retired signing key stays published this long plus a margin (cli/rotate-oidc-keys.ts). */
export const OIDC_ID_TOKEN_TTL_SECONDS = 3600;

/**
 * Two clients: the worker's retries idempotent calls; readiness gets one try within its 2 s bound.
 * One breaker for both: a refused login pauses all of this instance's Nextcloud calls.
 */
function createNextcloud(credentials: { baseUrl: string; adminUser: string; adminPassword: string }, recheckMs: number) {
  return {
    breaker: createNextcloudBreaker({ recheckMs }),
    provisioning: createNextcloudClient({ ...credentials, timeoutMs: 5000, retries: 2 }),
    probe: createNextcloudClient({ ...credentials, timeoutMs: 1900, retries: 0 }),
  };
}

/** All three settings or none: config.ts refuses a Nextcloud URL without both credentials. */
function nextcloudCredentials({
  NEXTCLOUD_URL: baseUrl,
  NEXTCLOUD_ADMIN_USER: adminUser,
  NEXTCLOUD_ADMIN_PASSWORD: adminPassword,
}: Config) {
  return baseUrl && adminUser && adminPassword ? { baseUrl, adminUser, adminPassword } : null;
}

/** Postgres when DATABASE_URL is set, else PGlite on disk (locked to this process); migrated before use. */
/** What mail templates and Message-IDs need from the configuration (the server and the CLIs that queue mail). */
export function mailSettingsFrom(config: Config): MailSettings {
  return {
    productName: PRODUCT_NAME,
    webUrl: config.WEB_URL,
    adminUrl: config.ADMIN_URL,
    messageIdDomain: mailDomain(config.MAIL_FROM),
  };
}

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  let unlock = () => {};
  if (!config.DATABASE_URL) {
    await mkdir(config.pgliteDir, { recursive: true });
    unlock = lockDataDir(config.pgliteDir);
  }
  try {
    const database = await createDatabase(
      config.DATABASE_URL
        ? { url: config.DATABASE_URL, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS }
        : { dataDir: config.pgliteDir, template: readTemplate },
    );
    const close = database.close;
    const handle = { ...database, close: () => close().finally(unlock) };
    try {
      await migrateDatabase(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle;
  } catch (error) {
    unlock();
    throw error;
  }
}
