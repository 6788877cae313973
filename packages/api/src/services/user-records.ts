import { eq } from "drizzle-orm";

import { isUniqueViolation, users, type Database } from "@voiceassist/db";

import { emailTaken, userNotFound } from "../errors";
import { publicUserColumns, type PublicUser } from "./public-user";

/** Reads one user's public columns; NOT_FOUND when there is none. */
export async function getUser(db: Database, id: string): Promise<PublicUser> {
  const [user] = await db.select(publicUserColumns).from(users).where(eq(users.id, id)).limit(1);
  if (!user) throw userNotFound();
  return user;
}

export type UserChanges = Partial<Pick<PublicUser, "fullName" | "email" | "isActive" | "isAdmin">>;

/** Applies changes; an email already taken (any letter case) is a CONFLICT. */
export async function writeUser(db: Database, id: string, changes: UserChanges): Promise<PublicUser> {
  if (Object.keys(changes).length === 0) return getUser(db, id);
  try {
    const [user] = await db.update(users).set(changes).where(eq(users.id, id)).returning(publicUserColumns);
    if (!user) throw userNotFound();
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** Whether what Nextcloud mirrors (email, display name) differs between two versions of a user. */
export function profileChanged(before: Pick<PublicUser, "email" | "fullName">, after: Pick<PublicUser, "email" | "fullName">) {
  return before.email !== after.email || before.fullName !== after.fullName;
}

/** The requested changes that differ from the user as stored: an unchanged field is no change. */
export function effectiveChanges(target: PublicUser, changes: UserChanges): UserChanges {
  return Object.fromEntries(
    Object.entries(changes).filter(([key, value]) => value !== undefined && target[key as keyof UserChanges] !== value),
  ) as UserChanges;
}
