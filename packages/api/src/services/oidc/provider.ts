import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { JWK } from "jose";

import type { Database } from "@voiceassist/db";

import type { Logger } from "../../context";
import type { SecretBox } from "../mfa/secret-box";
import { findOidcAccount } from "./account";
import { drizzleAdapterClass } from "./adapter";
import { loadProviderClient } from "./clients";
import { renderErrorPage, renderLogoutPage, renderLogoutSuccessPage } from "./pages";

/** The scopes relying parties may ask for (contract: "Single sign-on"). */
export const OIDC_SCOPES = ["openid", "email", "profile", "groups", "offline_access"] as const;
/** Assurance levels an ID token's `acr` names: a password alone, or a second factor (or a passkey). */
export const ACR_VALUES = ["urn:voiceassist:aal1", "urn:voiceassist:aal2"] as const;

export interface OidcSettings {
  issuer: string;
  /** Keygrip keys for the provider's signed cookies, current first (same on every instance). */
  cookieKeys: string[];
  /** Lifetimes in seconds. */
  ttl: { accessToken: number; idToken: number; refreshToken: number; session: number; interaction: number };
}

export interface ProviderDeps {
  db: Database;
  secretBox: SecretBox;
  logger: Logger;
}

/**
 * One provider instance for a set of signing keys (the library reads its
 * keys once; a rotation builds a new instance, see runtime.ts). Everything
 * else it keeps lives in the database, so instances are interchangeable.
 */
export function createOidcProvider(deps: ProviderDeps, settings: OidcSettings, keys: JWK[]): Provider {
  const { db, secretBox } = deps;
  const configuration: Configuration = {
    adapter: drizzleAdapterClass(db, (clientId) => loadProviderClient(db, secretBox, clientId)),
    clients: [],
    jwks: { keys: keys as NonNullable<Configuration["jwks"]>["keys"] },
    cookies: { keys: settings.cookieKeys, long: { signed: true }, short: { signed: true } },
    // Code flow with PKCE S256, nothing else: no implicit or hybrid response types.
    responseTypes: ["code"],
    pkce: { methods: ["S256"], required: () => true },
    scopes: [...OIDC_SCOPES],
    claims: {
      // acr and amr with sub: the library leaves them out of ID tokens unless a scope names it.
      openid: ["sub", "acr", "amr"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    acrValues: [...ACR_VALUES],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    findAccount: (_ctx, sub) => findOidcAccount(db, sub),
    interactions: {
      // An address on the API's own origin, so the provider's interaction cookie
      // (its path) comes back to the finish route; it forwards to the web app.
      url: (_ctx, interaction) => `${settings.issuer}/interaction/${interaction.uid}`,
      policy: signInPolicy(),
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: renderLogoutPage, postLogoutSuccessSource: renderLogoutSuccessPage },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    renderError: renderErrorPage,
    ttl: {
      AccessToken: settings.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: settings.ttl.idToken,
      RefreshToken: settings.ttl.refreshToken,
      Grant: settings.ttl.refreshToken,
      Session: settings.ttl.session,
      Interaction: settings.ttl.interaction,
    },
    // A refresh token is rotated at every use; the old one then fails (reuse detection).
    rotateRefreshToken: true,
    conformIdTokenClaims: false,
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      // Consent is implicit for these first-party clients: the grant was made when the sign-in completed.
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? "");
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
  };
  const provider = new Provider(settings.issuer, configuration);
  // The API may stand behind proxies, but the provider's URLs always come from the issuer (see plugins/oidc.ts).
  provider.proxy = true;
  provider.on("server_error", (_ctx, error: Error) => deps.logger.error({ reason: error.message }, "oidc provider error"));
  return provider;
}

/**
 * The library's prompts, plus one login check: every authorization goes
 * through the web app's sign-in page, which completes at once when the
 * browser already has a live VoiceAssist session. So the provider never
 * issues a code on its own cookie alone, and the web session (its second
 * factor, its revocation) is the single sign-on session.
 */
function signInPolicy() {
  const policy = interactionPolicy.base();
  const login = policy.get("login");
  login?.checks.add(
    new interactionPolicy.Check("web_sign_in", "the sign-in goes through VoiceAssist", (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}
