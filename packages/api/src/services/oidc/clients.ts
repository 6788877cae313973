import { randomBytes } from "node:crypto";

import { asc, eq, sql } from "drizzle-orm";
import type { AdapterPayload } from "oidc-provider";

import { oidcClients, type Database, type OidcClientRow } from "@voiceassist/db";

import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import { DomainError } from "../../errors";
import type { SecretBox } from "../mfa/secret-box";

export interface OidcClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
}

/** A client as admins see it; the secret never comes back after create/rotateSecret. */
export interface OidcClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  secretRotatedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

type ClientDeps = { db: Database; mfa: { secretBox: SecretBox } };

const clientNotFound = () => new DomainError("not_found", "No such OpenID client");
const noEncryptionKey = () => new DomainError("unavailable", "OpenID clients are not available: the server has no DATA_ENCRYPTION_KEY");

/** The secret is bound to its client: a ciphertext copied onto another row does not open. */
const secretContext = (clientId: string) => `oidc-client:${clientId}`;

const newClientId = () => `va-${randomBytes(12).toString("base64url")}`;
/** 256 bits: the provider compares it in constant time; it is shown to the admin once. */
const newClientSecret = () => randomBytes(32).toString("base64url");

const view = (row: OidcClientRow): OidcClientView => ({
  clientId: row.clientId,
  name: row.name,
  redirectUris: row.redirectUris,
  postLogoutRedirectUris: row.postLogoutRedirectUris,
  backchannelLogoutUri: row.backchannelLogoutUri,
  secretRotatedAt: row.secretRotatedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

function seal(box: SecretBox, clientId: string, secret: string) {
  if (box.currentVersion === 0) throw noEncryptionKey();
  const sealed = box.seal(secret, secretContext(clientId));
  return { secretCiphertext: sealed.ciphertext, secretKeyVersion: sealed.keyVersion };
}

export async function listOidcClients({ db }: { db: Database }): Promise<OidcClientView[]> {
  const rows = await db.select().from(oidcClients).orderBy(asc(oidcClients.createdAt), asc(oidcClients.clientId));
  return rows.map(view);
}

export async function createOidcClient(
  deps: ClientDeps,
  actor: Actor,
  input: OidcClientInput,
  origin: AuditOrigin,
): Promise<OidcClientView & { clientSecret: string }> {
  const clientId = newClientId();
  const clientSecret = newClientSecret();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oidcClients)
      .values({
        clientId,
        name: input.name,
        redirectUris: input.redirectUris,
        postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
        backchannelLogoutUri: input.backchannelLogoutUri ?? null,
        ...seal(deps.mfa.secretBox, clientId, clientSecret),
      })
      .returning();
    await recordAudit(tx, origin, {
      action: "admin.oidc_client.create",
      outcome: "success",
      actorId: actor.userId,
      detail: { clientId, name: input.name },
    });
    return { ...view(row as OidcClientRow), clientSecret };
  });
}

export async function updateOidcClient(
  { db }: { db: Database },
  actor: Actor,
  input: { clientId: string } & Partial<OidcClientInput>,
  origin: AuditOrigin,
): Promise<OidcClientView> {
  const { clientId, ...changes } = input;
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(oidcClients)
      // updatedAt moves even when nothing else did: the update is still recorded.
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(oidcClients.clientId, clientId))
      .returning();
    if (!row) throw clientNotFound();
    await recordAudit(tx, origin, {
      action: "admin.oidc_client.update",
      outcome: "success",
      actorId: actor.userId,
      detail: { clientId, fields: Object.keys(set) },
    });
    return view(row);
  });
}

/** A new secret, shown once; the old one stops working at once on every instance. */
export async function rotateOidcClientSecret(
  deps: ClientDeps,
  actor: Actor,
  input: { clientId: string },
  origin: AuditOrigin,
): Promise<OidcClientView & { clientSecret: string }> {
  const clientSecret = newClientSecret();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(oidcClients)
      .set({ ...seal(deps.mfa.secretBox, input.clientId, clientSecret), secretRotatedAt: sql`now()` })
      .where(eq(oidcClients.clientId, input.clientId))
      .returning();
    if (!row) throw clientNotFound();
    await recordAudit(tx, origin, {
      action: "admin.oidc_client.rotate_secret",
      outcome: "success",
      actorId: actor.userId,
      detail: { clientId: input.clientId },
    });
    return { ...view(row), clientSecret };
  });
}

export async function deleteOidcClient(
  { db }: { db: Database },
  actor: Actor,
  input: { clientId: string },
  origin: AuditOrigin,
): Promise<{ success: true }> {
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(oidcClients).where(eq(oidcClients.clientId, input.clientId)).returning({ name: oidcClients.name });
    if (deleted.length === 0) throw clientNotFound();
    await recordAudit(tx, origin, {
      action: "admin.oidc_client.delete",
      outcome: "success",
      actorId: actor.userId,
      detail: { clientId: input.clientId, name: deleted[0]?.name },
    });
    return { success: true as const };
  });
}

/**
 * The client as oidc-provider reads it (RFC 7591 metadata), secret opened:
 * the provider checks client_secret_basic and client_secret_post against it.
 * First-party clients: code flow only, refresh tokens, sid in ID tokens for
 * back-channel logout.
 */
export async function loadProviderClient(db: Database, box: SecretBox, clientId: string): Promise<AdapterPayload | undefined> {
  const [row] = await db.select().from(oidcClients).where(eq(oidcClients.clientId, clientId)).limit(1);
  if (!row) return undefined;
  let secret: string;
  try {
    secret = box.open(row.secretCiphertext, row.secretKeyVersion, secretContext(row.clientId));
  } catch {
    // A key that cannot open it (DATA_ENCRYPTION_KEY lost or changed without its old version): the client cannot authenticate.
    return undefined;
  }
  return {
    client_id: row.clientId,
    client_secret: secret,
    client_name: row.name,
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
    ...(row.backchannelLogoutUri ? { backchannel_logout_uri: row.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    // The contract lists auth_time among the ID token's claims, asked for or not.
    require_auth_time: true,
  };
}
