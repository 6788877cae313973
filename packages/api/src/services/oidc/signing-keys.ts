import { randomBytes } from "node:crypto";

import { desc, gt, isNull, lt, or, sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK } from "jose";

import { oidcSigningKeys, type Database } from "@voiceassist/db";

import type { SecretBox } from "../mfa/secret-box";

/** RS256: the algorithm every relying party must support (OIDC Core §15.1), Nextcloud's user_oidc included. */
export const SIGNING_ALG = "RS256";

/** A key's ciphertext opens only on its own row. */
const keyContext = (kid: string) => `oidc-signing-key:${kid}`;

export interface SigningKeys {
  /** Private JWKs, current first: the provider signs with the first and publishes all (public parts). */
  keys: JWK[];
  /** Changes whenever the set does, so an instance can tell it must reload. */
  fingerprint: string;
}

async function newSealedKey(box: SecretBox) {
  const kid = randomBytes(12).toString("base64url");
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const sealed = box.seal(JSON.stringify(jwk), keyContext(kid));
  return { kid, alg: SIGNING_ALG, privateJwkCiphertext: sealed.ciphertext, keyVersion: sealed.keyVersion };
}

/**
 * Makes the first key when there is none. Instances starting together race
 * on the one-current-key unique index: one insert wins, the others drop theirs.
 */
export async function ensureSigningKey(db: Database, box: SecretBox): Promise<void> {
  const [current] = await db.select({ kid: oidcSigningKeys.kid }).from(oidcSigningKeys).where(isNull(oidcSigningKeys.retiredAt)).limit(1);
  if (current) return;
  await db
    .insert(oidcSigningKeys)
    .values(await newSealedKey(box))
    .onConflictDoNothing();
}

/**
 * Adds a new current key; the old one is retired but stays published for
 * `publishForSeconds` (the longest lifetime of a token it signed), so tokens
 * it signed still verify. Returns the new and retired key ids.
 */
export async function rotateSigningKeys(
  db: Database,
  box: SecretBox,
  publishForSeconds: number,
): Promise<{ kid: string; retired: string[] }> {
  const fresh = await newSealedKey(box);
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(oidcSigningKeys)
      .set({ retiredAt: sql`now()`, publishUntil: sql`now() + make_interval(secs => ${publishForSeconds})` })
      .where(isNull(oidcSigningKeys.retiredAt))
      .returning({ kid: oidcSigningKeys.kid });
    await tx.insert(oidcSigningKeys).values(fresh);
    return { kid: fresh.kid, retired: retired.map((row) => row.kid) };
  });
}

/** The keys to sign with and publish: the current one, then retired ones still inside their publication window. */
export async function loadSigningKeys(db: Database, box: SecretBox): Promise<SigningKeys> {
  const rows = await db
    .select()
    .from(oidcSigningKeys)
    .where(or(isNull(oidcSigningKeys.retiredAt), gt(oidcSigningKeys.publishUntil, sql`now()`)))
    .orderBy(sql`${oidcSigningKeys.retiredAt} is not null`, desc(oidcSigningKeys.createdAt));
  const keys = rows.map((row) => JSON.parse(box.open(row.privateJwkCiphertext, row.keyVersion, keyContext(row.kid))) as JWK);
  return { keys, fingerprint: rows.map((row) => row.kid).join(",") };
}

/** Deletes retired keys whose publication window has closed. */
export async function deleteUnpublishedSigningKeys(db: Database): Promise<number> {
  const deleted = await db
    .delete(oidcSigningKeys)
    .where(lt(oidcSigningKeys.publishUntil, sql`now()`))
    .returning({ kid: oidcSigningKeys.kid });
  return deleted.length;
}

/** Just the key ids, current first (cheap: what each instance polls to notice a rotation). */
export async function signingKeyFingerprint(db: Database): Promise<string> {
  const rows = await db
    .select({ kid: oidcSigningKeys.kid })
    .from(oidcSigningKeys)
    .where(or(isNull(oidcSigningKeys.retiredAt), gt(oidcSigningKeys.publishUntil, sql`now()`)))
    .orderBy(sql`${oidcSigningKeys.retiredAt} is not null`, desc(oidcSigningKeys.createdAt));
  return rows.map((row) => row.kid).join(",");
}
