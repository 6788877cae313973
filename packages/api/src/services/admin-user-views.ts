import { and, asc, count, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";

import { nextcloudProvisioning, users, type Database } from "@voiceassist/db";

import { userNotFound } from "../errors";
import { mfaStatus } from "./mfa/factors";
import { publicUserColumns } from "./public-user";
import { userMatches } from "./user-match";

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

/** `users.byId`: the admin view plus the user's second factors, so support can see why a sign-in fails. */
export async function getUserDetailForAdmin(deps: { db: Database }, input: { id: string }) {
  const user = await getUserForAdmin(deps, input);
  return { ...user, mfa: await mfaStatus(deps.db, user.id) };
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

/** Up to this many matches, users.list counts them exactly; above, `total` is an estimate. */
export const USER_LIST_EXACT_TOTAL = 10_000;

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

/** Newest first unless sorted otherwise; substring search on email and full name uses the trigram index. */
export async function listUsers({ db }: { db: Database }, query: UserQuery) {
  const filters: SQL[] = [];
  const term = query.search?.trim().toLowerCase();
  if (term) filters.push(userMatches(term));
  if (query.isActive !== undefined) filters.push(eq(users.isActive, query.isActive));
  if (query.status) filters.push(statusFilter[query.status]);
  const where = filters.length ? and(...filters) : undefined;
  const items = await db
    .select(adminUserColumns)
    .from(users)
    .leftJoin(p, eq(p.userId, users.id))
    .where(where)
    .orderBy(...orderBy(query.sort ?? "createdAt", query.order ?? "desc"))
    .limit(query.limit)
    .offset(query.offset);
  // A short page holds the last matches, so the total is exact without a count: a rare term
  // (which no index serves when under three characters) then reads the table once, not twice.
  if (items.length < query.limit && (items.length > 0 || query.offset === 0)) {
    return { items, total: query.offset + items.length, totalIsEstimate: false };
  }
  const counted = await countUpTo(db, where, USER_LIST_EXACT_TOTAL + 1);
  if (counted <= USER_LIST_EXACT_TOTAL) return { items, total: counted, totalIsEstimate: false };
  // More than the cap: the planner's row estimate, never below what was just counted.
  return { items, total: Math.max(counted, await estimateRows(db, where)), totalIsEstimate: true };
}

/** Counts matching users, stopping at `cap`: a broad search no longer counts every match. */
async function countUpTo(db: Database, where: SQL | undefined, cap: number): Promise<number> {
  const capped = db.select({ one: sql`1` }).from(users).where(where).limit(cap).as("capped");
  const [row] = await db.select({ total: count() }).from(capped);
  return row?.total ?? 0;
}

/** The planner's estimate of matching rows (EXPLAIN plans the count, runs nothing). */
async function estimateRows(db: Database, where: SQL | undefined): Promise<number> {
  const result = await db.execute(sql`explain (format json) select 1 from ${users} where ${where ?? sql`true`}`);
  // postgres.js returns the rows, PGlite an object holding them; the plan may come parsed or as text.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<Record<string, unknown>>;
  const plan = rows[0]?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan?: { "Plan Rows"?: number } }>;
  return Math.round(parsed[0]?.Plan?.["Plan Rows"] ?? 0);
}
