import { isUniqueViolation, type Database } from "@voiceassist/db";

import { createAdmin, findUserByEmail, promoteToAdmin, type BootstrapOptions } from "./bootstrap-admin";
import type { PasswordHasher } from "./passwords";
import type { PublicUser } from "./public-user";

export type EnsureAdminOutcome =
  /** A new admin account with the given password. */
  | { outcome: "created"; user: PublicUser }
  /** An existing account made admin (and active); its password is left as it is. */
  | { outcome: "promoted"; user: PublicUser }
  /** Already an active admin: nothing written, nothing audited. */
  | { outcome: "unchanged"; user: PublicUser }
  /** A soft-deleted account: not brought back behind the administrators' backs. */
  | { outcome: "deleted"; user: PublicUser }
  /** No such account and no password to create it with. */
  | { outcome: "needs-password" };

export interface EnsureAdminInput {
  email: string;
  /** Used only to create a missing account; an existing one keeps its password. */
  password?: string;
  fullName?: string | null;
}

/**
 * Makes sure `email` is an active admin: created, promoted or left alone, so
 * it can run at every server start (FIRST_ADMIN_EMAIL) and from the CLI.
 * Several instances starting together may race to create the account: the
 * loser sees the unique violation and finds the winner's row instead.
 */
export async function ensureAdmin(
  deps: { db: Database; passwords: PasswordHasher } & BootstrapOptions,
  input: EnsureAdminInput,
): Promise<EnsureAdminOutcome> {
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing) return ensureExisting(deps, existing);
  if (input.password === undefined) return { outcome: "needs-password" };
  try {
    return { outcome: "created", user: await createAdmin(deps, { ...input, password: input.password }) };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findUserByEmail(deps.db, input.email);
    if (!winner) throw error;
    return ensureExisting(deps, winner);
  }
}

async function ensureExisting(deps: { db: Database } & BootstrapOptions, user: PublicUser): Promise<EnsureAdminOutcome> {
  if (user.deletedAt) return { outcome: "deleted", user };
  if (user.isAdmin && user.isActive) return { outcome: "unchanged", user };
  return { outcome: "promoted", user: await promoteToAdmin(deps.db, user, deps) };
}
