import { hkdfSync } from "node:crypto";

import type Provider from "oidc-provider";

import { safeErrorMessage } from "@voiceassist/db";

import { DomainError } from "../../errors";
import type { DataKey } from "../mfa/secret-box";
import { drizzleAdapterClass } from "./adapter";
import { createOidcProvider, type OidcSettings, type ProviderDeps } from "./provider";
import { ensureSigningKey, loadSigningKeys, signingKeyFingerprint } from "./signing-keys";

export interface OidcOptions extends Omit<OidcSettings, "cookieKeys"> {
  /** The web app: the provider's sign-in page is `<webUrl>/oidc/login?uid=…`. */
  webUrl: string;
  /** DATA_ENCRYPTION_KEY and its older versions: the cookie keys are derived from them. */
  dataKeys: { current: DataKey | null; previous: DataKey[] };
  /** How often an instance checks for a rotated signing key. */
  keyReloadMs: number;
}

/**
 * The provider as the rest of the server uses it: built on first use (the
 * first signing key is made then), rebuilt when the signing keys change (a
 * rotation on any instance), and the storage for the interaction tickets.
 */
export interface OidcRuntime {
  readonly issuer: string;
  readonly webUrl: string;
  readonly settings: OidcSettings;
  provider(): Promise<Provider>;
  /** Re-reads the signing keys now; rebuilds the provider when they changed. */
  reloadKeys(): Promise<void>;
  /** Storage in the provider's table for records of our own (interaction tickets). */
  store(model: string): InstanceType<ReturnType<typeof drizzleAdapterClass>>;
  close(): void;
}

const unavailable = () => new DomainError("unavailable", "Single sign-on is not available: the server has no DATA_ENCRYPTION_KEY");

/** Keygrip keys for the provider's cookies: derived from the data keys, so every instance signs alike with no new secret. */
export function cookieKeysFrom(dataKeys: OidcOptions["dataKeys"]): string[] {
  const keys = [dataKeys.current, ...dataKeys.previous].filter((k): k is DataKey => k !== null);
  return keys.map((k) => Buffer.from(hkdfSync("sha256", k.key, "", "voiceassist oidc cookies", 32)).toString("base64url"));
}

export function createOidcRuntime(deps: ProviderDeps, options: OidcOptions): OidcRuntime {
  const settings: OidcSettings = {
    issuer: options.issuer.replace(/\/$/, ""),
    cookieKeys: cookieKeysFrom(options.dataKeys),
    ttl: options.ttl,
  };
  let current: { provider: Provider; fingerprint: string } | null = null;
  let building: Promise<Provider> | null = null;
  const Store = drizzleAdapterClass(deps.db, async () => undefined);

  const build = async () => {
    if (!options.dataKeys.current) throw unavailable();
    await ensureSigningKey(deps.db, deps.secretBox);
    const { keys, fingerprint } = await loadSigningKeys(deps.db, deps.secretBox);
    current = { provider: createOidcProvider(deps, settings, keys), fingerprint };
    return current.provider;
  };

  const provider = () => {
    if (current) return Promise.resolve(current.provider);
    building ??= build().finally(() => {
      building = null;
    });
    return building;
  };

  const reloadKeys = async () => {
    if (!current) return;
    const fingerprint = await signingKeyFingerprint(deps.db);
    if (fingerprint !== current.fingerprint) await build();
  };

  const timer = setInterval(() => {
    reloadKeys().catch((error: unknown) => deps.logger.warn({ reason: safeErrorMessage(error) }, "oidc key reload failed"));
  }, options.keyReloadMs);
  timer.unref();

  return {
    issuer: settings.issuer,
    webUrl: options.webUrl.replace(/\/$/, ""),
    settings,
    provider,
    reloadKeys,
    store: (model) => new Store(model),
    close: () => clearInterval(timer),
  };
}
