import { and, asc, count, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";

import { nextcloudProvisioning, users, type Database } from "@voiceassist/db";

import { userNotFound } from "../errors";
import { publicUserColumns } from "./public-user";
import { escapeLike } from "./user-match";

const p = nextcloudProvisioning;

/** What admins see: the public user plus its Nextcloud provisioning state (null when never queued). */
const adminUserColumns = {
  ...publicUserColumns,
  /** Set once a deleted user's personal data was erased (users.erase). */
  erasedAt: users.erasedAt,
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

export const USER_STATUSES = ["active", "inactive", "invited", "deleted"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const USER_SORTS = ["createdAt", "email", "lastLogin"] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface UserQuery {
  search?: string;
  isActive?: boolean;
  status?: UserStatus;
  sort?: UserSort;
  order?: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * The statuses do not overlap: a deleted user is only "deleted", an invited
 * one (invitation not yet accepted) only "invited"; "inactive" is deactivated.
 */
const statusFilter: Record<UserStatus, SQL> = {
  deleted: isNotNull(users.deletedAt),
  invited: and(isNull(users.deletedAt), isNotNull(users.invitedAt)) as SQL,
  active: and(isNull(users.deletedAt), isNull(users.invitedAt), eq(users.isActive, true)) as SQL,
  inactive: and(isNull(users.deletedAt), isNull(users.invitedAt), eq(users.isActive, false)) as SQL,
};

/**
 * ORDER BY for each sort, written to match an index scanned forwards (asc) or
 * backwards (desc): users_created_at_id_idx, the unique lower(email) index
 * (unique, so no tie-breaker is needed), users_last_login_id_idx (never signed
 * in first ascending, last descending).
 */
function orderBy(sort: UserSort, order: "asc" | "desc"): SQL[] {
  const dir = order === "asc" ? asc : desc;
  switch (sort) {
    case "email":
      return [dir(sql`lower(${users.email})`)];
    case "lastLogin":
      return order === "asc"
        ? [sql`${users.lastLogin} asc nulls first`, asc(users.id)]
        : [sql`${users.lastLogin} desc nulls last`, desc(users.id)];
    default:
      return [dir(users.createdAt), dir(users.id)];
  }
}

/** Newest first unless sorted otherwise; substring search on email and full name uses the trigram indexes. */
export async function listUsers({ db }: { db: Database }, query: UserQuery) {
  const filters: SQL[] = [];
  const term = query.search?.trim().toLowerCase();
  if (term) {
    const pattern = `%${escapeLike(term)}%`;
    filters.push(sql`(lower(${users.email}) like ${pattern} escape '\\' or lower(${users.fullName}) like ${pattern} escape '\\')`);
  }
  if (query.isActive !== undefined) filters.push(eq(users.isActive, query.isActive));
  if (query.status) filters.push(statusFilter[query.status]);
  const where = filters.length ? and(...filters) : undefined;
  const [items, [totals]] = await Promise.all([
    db
      .select(adminUserColumns)
      .from(users)
      .leftJoin(p, eq(p.userId, users.id))
      .where(where)
      .orderBy(...orderBy(query.sort ?? "createdAt", query.order ?? "desc"))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}
