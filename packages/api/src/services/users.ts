import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";

import { isUniqueViolation, nextcloudProvisioning, users, type Database } from "@voiceassist/db";

import { emailTaken, userNotFound } from "../errors";
import { publicUserColumns, type PublicUser } from "./public-user";

/** Matches an (already lower-cased) email the way the unique index compares them. */
export const emailIs = (email: string) => eq(sql`lower(${users.email})`, email);

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
    const [user] = await db
      .update(users)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(users.id, id))
      .returning(publicUserColumns);
    if (!user) throw userNotFound();
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

const p = nextcloudProvisioning;

/** What admins see: the public user plus its Nextcloud provisioning state (null when never queued). */
const adminUserColumns = {
  ...publicUserColumns,
  provisioning: {
    state: p.state,
    attempts: p.attempts,
    lastError: p.lastError,
    nextAttemptAt: p.nextAttemptAt,
    provisionedAt: p.provisionedAt,
    updatedAt: p.updatedAt,
  },
};

export async function getUserForAdmin(db: Database, id: string) {
  const [user] = await db
    .select(adminUserColumns)
    .from(users)
    .leftJoin(p, eq(p.userId, users.id))
    .where(eq(users.id, id))
    .limit(1);
  if (!user) throw userNotFound();
  return user;
}

/** Escapes LIKE's wildcards so user text is matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface UserQuery {
  search?: string;
  isActive?: boolean;
  limit: number;
  offset: number;
}

/** Newest first; substring search on email and full name uses the trigram indexes. */
export async function listUsers(db: Database, query: UserQuery) {
  const filters: SQL[] = [];
  const term = query.search?.trim().toLowerCase();
  if (term) {
    const pattern = `%${escapeLike(term)}%`;
    filters.push(
      sql`(lower(${users.email}) like ${pattern} escape '\\' or lower(${users.fullName}) like ${pattern} escape '\\')`,
    );
  }
  if (query.isActive !== undefined) filters.push(eq(users.isActive, query.isActive));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [totals]] = await Promise.all([
    db
      .select(adminUserColumns)
      .from(users)
      .leftJoin(p, eq(p.userId, users.id))
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}
