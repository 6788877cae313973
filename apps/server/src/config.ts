import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { resolve } from "node:path";
import { availableParallelism } from "node:os";

import { z } from "zod";

import { emailSchema, passwordSchema } from "@voiceassist/shared";
import { parseDataKey, type DataKey } from "@voiceassist/api";

const DEFAULT_CORS_ORIGINS = "http://localhost:3000,http://localhost:3001,http://localhost:8080";
/**
 * Vite prints 127.0.0.1 URLs while the default origins say localhost; in development, with
 * CORS_ORIGINS unset, both spellings of the default origins are allowed so the printed URLs work.
 */
const loopbackTwins = (origins: string[]) => origins.map((origin) => origin.replace("//localhost:", "//127.0.0.1:"));
const DEFAULT_WEBAUTHN_ORIGINS = "http://localhost:3000,http://localhost:3001";
/** Used only outside production when JWT_SECRET is unset; tokens then die with the process. */
const DEV_SECRET_BYTES = 32;

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => v || undefined)
  .pipe(z.url().optional())
  .optional();

const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx): number | string[] | false => {
    if (!value || value === "false" || value === "0") return false;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address, bits, ...rest] = entry.split("/");
      const family = isIP(address ?? "");
      const maxBits = family === 6 ? 128 : 32;
      const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
      if (!family || !bitsOk || rest.length) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not a hop count, IP address or CIDR` });
        return z.NEVER;
      }
    }
    return entries;
  });

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

/** "true"/"1" or "false"/"0"; unset or empty takes the default. */
const booleanFlag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((v) => v === undefined || ["", "true", "false", "1", "0"].includes(v), { message: "must be true or false" })
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));

/** `Name <address@domain>` or a bare address; the domain also names Message-IDs. */
const MAIL_FROM_SHAPE = /^(?:[^<>]*<\s*)?[^\s@<>]+@([^\s@<>]+?)\s*>?$/;

/** "true"/"1" or "false"/"0"; unset or empty stays undefined (the caller's default applies). */
const optionalFlag = z
  .enum(["true", "false", "1", "0", ""], { error: "must be true or false" })
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const urlList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ message: "each origin must be a URL" })));

const dataKey = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const key = parseDataKey(v);
    if (!key) ctx.addIssue({ code: "custom", message: "must be 32 bytes, as 64 hex characters or base64" });
    return key ?? z.NEVER;
  });

/** DATA_ENCRYPTION_OLD_KEYS: "version:key,version:key", kept only to read what they sealed. */
const oldDataKeys = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): DataKey[] => {
    const keys: DataKey[] = [];
    for (const entry of (v ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [version, text] = [entry.slice(0, entry.indexOf(":")), entry.slice(entry.indexOf(":") + 1)];
      const key = parseDataKey(text);
      if (!/^\d+$/.test(version) || Number(version) < 1 || !key) {
        ctx.addIssue({ code: "custom", message: "entries must be <version>:<32-byte key>" });
        return z.NEVER;
      }
      keys.push({ version: Number(version), key });
    }
    return keys;
  });

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    PORT: z.coerce.number({ error: "must be a port number (0-65535)" }).int().min(0).max(65535).default(8000),
    /** Where clients reach the API, as /openapi.json's server; unset → the origin the document is fetched from. */
    PUBLIC_URL: optionalUrl,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATABASE_URL: optionalUrl,
    DATA_DIR: z.string().trim().min(1).default(".data"),
    REDIS_URL: optionalUrl,
    JWT_SECRET: z.string().optional(),
    JWT_ALGORITHM: z.literal("HS256", { error: "only HS256 is supported" }).default("HS256"),
    ACCESS_TOKEN_EXPIRE_MINUTES: positiveNumber(15),
    REFRESH_TOKEN_EXPIRE_DAYS: positiveNumber(7),
    /** Absolute session lifetime: refreshing never extends a session past this many days from sign-in. */
    SESSION_MAX_DAYS: positiveNumber(30),
    /** Live sessions per user; signing in past it ends the oldest. */
    MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
    /** Audit events older than this are deleted by a daily sweep (six years, as HIPAA keeps records). */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(2190),
    BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
    /** bcrypt calls allowed to wait for a thread; past it sign-ins get a fast 429 with Retry-After. */
    BCRYPT_MAX_QUEUE: z.coerce.number().int().min(1).default(32),
    /** bcrypt calls one process runs at once; unset: see bcryptConcurrency. */
    BCRYPT_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    CORS_ORIGINS: urlList(DEFAULT_CORS_ORIGINS),
    /** AES-256-GCM key for secrets at rest (TOTP seeds). Unset outside production: one is kept in DATA_DIR. */
    DATA_ENCRYPTION_KEY: dataKey,
    /** Stored beside every ciphertext; raise it when DATA_ENCRYPTION_KEY changes. */
    DATA_ENCRYPTION_KEY_VERSION: z.coerce.number().int().min(1).default(1),
    DATA_ENCRYPTION_OLD_KEYS: oldDataKeys,
    /** Admin procedures need a session that used a second factor; default: on in production only. */
    MFA_REQUIRED_FOR_ADMINS: optionalFlag,
    /** The WebAuthn relying party: the registrable domain passkeys are bound to. */
    WEBAUTHN_RP_ID: z.string().trim().min(1).default("localhost"),
    WEBAUTHN_RP_NAME: z.string().trim().min(1).default("VoiceAssist"),
    /** Page origins allowed to run passkey ceremonies (the web app and the admin panel). */
    WEBAUTHN_ORIGINS: urlList(DEFAULT_WEBAUTHN_ORIGINS),
    NEXTCLOUD_URL: optionalUrl,
    NEXTCLOUD_ADMIN_USER: z.string().trim().optional(),
    NEXTCLOUD_ADMIN_PASSWORD: z.string().optional(),
    QDRANT_URL: optionalUrl,
    /** Where mail goes out (smtp:// or smtps://, credentials in the URL); unset → the development mailbox. */
    SMTP_URL: z
      .string()
      .trim()
      .transform((v) => v || undefined)
      .pipe(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional())
      .optional(),
    MAIL_FROM: z
      .string()
      .trim()
      .default("VoiceAssist <no-reply@localhost>")
      .refine((v) => MAIL_FROM_SHAPE.test(v), { message: "must be an address, optionally as Name <address>" }),
    /** The web app, for the links in mails (reset, verify, confirm, invitation). */
    WEB_URL: z.url().default("http://localhost:3000"),
    /** The admin panel. */
    ADMIN_URL: z.url().default("http://localhost:3001"),
    /** Refuse sign-in (FORBIDDEN, EMAIL_NOT_VERIFIED) until the address is verified. */
    REQUIRE_EMAIL_VERIFICATION: booleanFlag(false),
    /** How often each instance looks for due mail (mail queued on an instance also wakes it at once). */
    MAIL_POLL_MS: z.coerce.number().int().min(10).default(2000),
    /** First retry delay after a failed delivery (doubles per attempt, at most an hour). */
    MAIL_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
    /** How often each instance looks for due Nextcloud provisioning jobs. */
    PROVISIONING_POLL_MS: z.coerce.number().int().min(10).default(5000),
    /** First retry delay after a failed provisioning call (doubles per attempt). */
    PROVISIONING_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
    /** After Nextcloud refused our admin login, wait this long before one re-check (brute-force safety). */
    NEXTCLOUD_RECHECK_MS: z.coerce.number().int().min(10).default(600_000),
    /**
     * The OpenID Provider's issuer: its discovery document is at
     * <issuer>/.well-known/openid-configuration and the provider is mounted at
     * the issuer's path on this server.
     */
    OIDC_ISSUER: z
      .url()
      .default("http://localhost:8000/oidc")
      .transform((v) => v.replace(/\/+$/, ""))
      .refine((v) => /^https?:$/.test(new URL(v).protocol), { message: "must be an http:// or https:// URL" })
      .refine((v) => !/^\/?$/.test(new URL(v).pathname), { message: "must have a path (e.g. /oidc) to mount the provider at" })
      .refine((v) => !new URL(v).search && !new URL(v).hash, { message: "must not have a query or fragment" })
      .refine((v) => !/^\/(trpc|api)(\/|$)/.test(new URL(v).pathname), { message: "must not be under /trpc or /api" }),
    /** How often each instance checks for a rotated OpenID signing key (npm run oidc:rotate-keys). */
    OIDC_KEY_RELOAD_MS: z.coerce.number().int().min(10).default(60_000),
    /** How often each instance looks for due back-channel logout deliveries. */
    OIDC_LOGOUT_POLL_MS: z.coerce.number().int().min(10).default(2000),
    /** First retry delay after a failed back-channel logout delivery (doubles per attempt, at most an hour). */
    OIDC_LOGOUT_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
    TRUST_PROXY: trustProxy,
    /** Made an active admin at every start (created with FIRST_ADMIN_PASSWORD if missing, else promoted); idempotent. */
    FIRST_ADMIN_EMAIL: z
      .string()
      .trim()
      .transform((v) => v || undefined)
      .pipe(emailSchema.optional())
      .optional(),
    /** Only creates the account above; an existing account keeps its password. Never logged. */
    FIRST_ADMIN_PASSWORD: z
      .string()
      .transform((v) => v || undefined)
      .pipe(passwordSchema.optional())
      .optional(),
    // Database time bounds (F12): a stalled statement or unreachable Postgres fails fast as 503.
    /** Postgres cancels a statement running longer than this (0 disables). */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
    /** Give up opening a Postgres connection after this long. */
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** How long health.ready reuses its last probe round (0: only concurrent callers share one). */
    READINESS_CACHE_MS: z.coerce.number().int().min(0).max(1000).default(1000),
    // HTTP time bounds (F10): a slow client cannot hold a connection open forever.
    /** Longest time to receive a whole request, headers and body. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    /** Longest time to receive the request headers (at most REQUEST_TIMEOUT_MS). */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** An idle keep-alive connection is closed after this long. */
    KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    /** A socket with no traffic at all in either direction is destroyed after this long. */
    CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    /** Server processes behind the one port (node:cluster); needs DATABASE_URL when above 1. */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  })
  .superRefine((env, ctx) => {
    const secretBytes = env.JWT_SECRET ? Buffer.byteLength(env.JWT_SECRET) : 0;
    if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== "" && secretBytes < 32) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "must be at least 32 bytes" });
    } else if (env.NODE_ENV === "production" && secretBytes === 0) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required when NODE_ENV=production" });
    }
    if (env.WEB_CONCURRENCY > 1 && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message: "above 1 needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only",
      });
    }
    if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: "custom", path: ["HEADERS_TIMEOUT_MS"], message: "must not exceed REQUEST_TIMEOUT_MS" });
    }
    if (env.DATA_ENCRYPTION_OLD_KEYS?.some((old) => old.version === env.DATA_ENCRYPTION_KEY_VERSION)) {
      ctx.addIssue({ code: "custom", path: ["DATA_ENCRYPTION_OLD_KEYS"], message: "must not reuse DATA_ENCRYPTION_KEY_VERSION" });
    }
    if (Boolean(env.FIRST_ADMIN_EMAIL) !== Boolean(env.FIRST_ADMIN_PASSWORD)) {
      const missing = env.FIRST_ADMIN_EMAIL ? "FIRST_ADMIN_PASSWORD" : "FIRST_ADMIN_EMAIL";
      const other = env.FIRST_ADMIN_EMAIL ? "FIRST_ADMIN_EMAIL" : "FIRST_ADMIN_PASSWORD";
      ctx.addIssue({ code: "custom", path: [missing], message: `is required with ${other}` });
    }
    // The message follows the variable's name in the one line printed (see loadConfig), so it does not repeat it.
    for (const name of ["NEXTCLOUD_ADMIN_USER", "NEXTCLOUD_ADMIN_PASSWORD"] as const) {
      if (env.NEXTCLOUD_URL && !env[name]) {
        ctx.addIssue({ code: "custom", path: [name], message: "is required with NEXTCLOUD_URL (or leave NEXTCLOUD_URL empty)" });
      }
    }
  });

export type Env = z.infer<typeof configSchema>;

/** The domain of MAIL_FROM (Message-IDs are `<id>@<domain>`). */
export function mailDomain(mailFrom: string): string {
  return MAIL_FROM_SHAPE.exec(mailFrom)?.[1] ?? "localhost";
}

export interface Config
  extends Omit<
    Env,
    "JWT_SECRET" | "DATA_ENCRYPTION_KEY" | "DATA_ENCRYPTION_KEY_VERSION" | "DATA_ENCRYPTION_OLD_KEYS" | "MFA_REQUIRED_FOR_ADMINS"
  > {
  jwtSecret: string;
  /** True when no JWT_SECRET was given and a random one was generated. */
  ephemeralSecret: boolean;
  /**
   * The key that seals secrets at rest (null in production without DATA_ENCRYPTION_KEY: second
   * factors then answer 503) and older keys kept for reading. `ephemeral`: generated for this
   * process only, until the server swaps in the one kept in DATA_DIR.
   */
  dataKeys: { current: DataKey | null; previous: DataKey[]; ephemeral: boolean };
  mfaRequiredForAdmins: boolean;
  /** Absolute directory of the embedded database (used when DATABASE_URL is unset). */
  pgliteDir: string;
}

export class ConfigError extends Error {}

/**
 * Parses and validates the environment once. Throws ConfigError whose
 * message is one line naming the variable; the entry point prints it.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path[0] ?? "environment";
    throw new ConfigError(`Invalid configuration: ${String(name)} ${issue?.message ?? "is invalid"}`);
  }
  const { JWT_SECRET, DATA_ENCRYPTION_KEY, DATA_ENCRYPTION_KEY_VERSION, DATA_ENCRYPTION_OLD_KEYS, MFA_REQUIRED_FOR_ADMINS, ...rest } =
    parsed.data;
  const ephemeralSecret = !JWT_SECRET;
  const production = rest.NODE_ENV === "production";
  const withTwins = (origins: string[], configured: string | undefined) =>
    !configured && !production ? [...origins, ...loopbackTwins(origins)] : origins;
  const ephemeralKey = !DATA_ENCRYPTION_KEY && !production;
  const currentKey = DATA_ENCRYPTION_KEY ?? (ephemeralKey ? randomBytes(32) : null);
  return {
    ...rest,
    CORS_ORIGINS: withTwins(rest.CORS_ORIGINS, env.CORS_ORIGINS),
    WEBAUTHN_ORIGINS: withTwins(rest.WEBAUTHN_ORIGINS, env.WEBAUTHN_ORIGINS),
    dataKeys: {
      current: currentKey ? { version: DATA_ENCRYPTION_KEY_VERSION, key: currentKey } : null,
      previous: DATA_ENCRYPTION_OLD_KEYS,
      ephemeral: ephemeralKey,
    },
    mfaRequiredForAdmins: MFA_REQUIRED_FOR_ADMINS ?? production,
    jwtSecret: JWT_SECRET || randomBytes(DEV_SECRET_BYTES).toString("hex"),
    ephemeralSecret,
    pgliteDir: resolve(cwd, rest.DATA_DIR, "pglite"),
  };
}

/**
 * bcrypt calls one process runs at once: BCRYPT_CONCURRENCY, or else the
 * machine's cores shared among the WEB_CONCURRENCY workers, leaving one of
 * libuv's pool threads free. bcrypt is pure CPU: more calls than cores add no
 * throughput, and every extra one is a thread the event loop must take turns
 * with (it was a fixed 3 per process, so 6 on 2 cores with two workers). The
 * free pool thread is for WebCrypto (JWT signing and first verifications) and
 * DNS, which would otherwise wait behind bcrypt (bench/README.md, finding 2).
 */
export function bcryptConcurrency(
  config: Pick<Config, "BCRYPT_CONCURRENCY" | "WEB_CONCURRENCY">,
  cores = availableParallelism(),
  poolThreads = Number(process.env.UV_THREADPOOL_SIZE) || 4,
): number {
  return config.BCRYPT_CONCURRENCY ?? Math.max(1, Math.min(Math.floor(cores / config.WEB_CONCURRENCY), poolThreads - 1));
}
