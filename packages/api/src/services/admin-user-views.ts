import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";

import { nextcloudProvisioning, users, type Database } from "@voiceassist/db";

import { userNotFound } from "../errors";
import { publicUserColumns } from "./public-user";
import { escapeLike } from "./user-match";

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

export async function getUserForAdmin({ db }: { db: Database }, input: { id: string }) {
  const [user] = await db.select(adminUserColumns).from(users).leftJoin(p, eq(p.userId, users.id)).where(eq(users.id, input.id)).limit(1);
  if (!user) throw userNotFound();
  return user;
}

export interface UserQuery {
  search?: string;
  isActive?: boolean;
  limit: number;
  offset: number;
}

/** Newest first; substring search on email and full name uses the trigram indexes. */
export async function listUsers({ db }: { db: Database }, query: UserQuery) {
  const filters: SQL[] = [];
  const term = query.search?.trim().toLowerCase();
  if (term) {
    const pattern = `%${escapeLike(term)}%`;
    filters.push(sql`(lower(${users.email}) like ${pattern} escape '\\' or lower(${users.fullName}) like ${pattern} escape '\\')`);
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
