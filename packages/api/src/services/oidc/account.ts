import { eq } from "drizzle-orm";
import type { Account } from "oidc-provider";

import { users, type Database } from "@voiceassist/db";

import { accountLockedFor } from "../login-failures";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SignInRefusal = "not_found" | "deactivated" | "deleted" | "invited" | "locked";

/** The user as a relying party sees them, with why they may not sign in (null: they may). */
export async function loadSignInUser(db: Database, userId: string) {
  if (!UUID.test(userId)) return { user: null, refusal: "not_found" as SignInRefusal };
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      fullName: users.fullName,
      isAdmin: users.isAdmin,
      isActive: users.isActive,
      emailVerifiedAt: users.emailVerifiedAt,
      hashedPassword: users.hashedPassword,
      invitedAt: users.invitedAt,
      deletedAt: users.deletedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return { user: null, refusal: "not_found" as SignInRefusal };
  return { user, refusal: await refusalFor(db, user) };
}

/** The one rule for who may sign in to a relying party, and keep a refresh grant there. */
async function refusalFor(
  db: Database,
  user: { email: string; isActive: boolean; deletedAt: Date | null; invitedAt: Date | null; hashedPassword: string | null },
): Promise<SignInRefusal | null> {
  if (user.deletedAt) return "deleted";
  if (!user.isActive) return "deactivated";
  if (user.invitedAt || user.hashedPassword === null) return "invited";
  if ((await accountLockedFor(db, user.email)) > 0) return "locked";
  return null;
}

/**
 * The provider's findAccount: called at every authorization, token,
 * refresh and userinfo request, so a user who may no longer sign in
 * (deactivated, deleted, locked, invited) stops getting anything at once.
 */
export async function findOidcAccount(db: Database, sub: string): Promise<Account | undefined> {
  const { user, refusal } = await loadSignInUser(db, sub);
  if (!user || refusal) return undefined;
  return {
    accountId: user.id,
    claims: () => ({
      sub: user.id,
      email: user.email,
      email_verified: user.emailVerifiedAt !== null,
      name: user.fullName ?? user.email,
      groups: user.isAdmin ? ["admin"] : [],
    }),
  };
}
