import { randomBytes } from "node:crypto";

import { count } from "drizzle-orm";

import type { PasswordHasher } from "@voiceassist/api";
import { auditEvents, users, type Database, type NewAuditEventRow, type NewUserRow } from "@voiceassist/db";

/** A clinic's staff, by role: enough to page through (30 on the list), every status represented. */
const STAFF: { name: string; role: string }[] = [
  ["Amara Okafor", "Cardiologist"],
  ["Ben Hartley", "General practitioner"],
  ["Chloé Martin", "Paediatrician"],
  ["Daniel Kowalski", "Radiologist"],
  ["Elena Rossi", "Dermatologist"],
  ["Farid Haddad", "Anaesthetist"],
  ["Grace Liu", "Nurse practitioner"],
  ["Hiroshi Tanaka", "Neurologist"],
  ["Ingrid Solberg", "Physiotherapist"],
  ["José García", "Orthopaedic surgeon"],
  ["Kavya Iyer", "Endocrinologist"],
  ["Liam O'Connor", "Emergency physician"],
  ["Maya Cohen", "Psychiatrist"],
  ["Nikolai Petrov", "Oncologist"],
  ["Olivia Brown", "Practice nurse"],
  ["Pedro Alves", "Pharmacist"],
  ["Qi Zhang", "Ophthalmologist"],
  ["Rosa Méndez", "Midwife"],
  ["Samuel Mensah", "Pulmonologist"],
  ["Tara Singh", "Rheumatologist"],
  ["Ulrich Becker", "Urologist"],
  ["Valentina Bianchi", "Gastroenterologist"],
  ["William Scott", "Receptionist"],
  ["Ximena Torres", "Medical secretary"],
  ["Yusuf Demir", "Lab technician"],
  ["Zoë van Dijk", "Dietitian"],
  ["Aisha Bello", "Nurse"],
  ["Bruno Costa", "Practice manager"],
  ["Clara Novak", "Speech therapist"],
  ["Dmitri Volkov", "Locum physician"],
].map(([name, role]) => ({ name: name as string, role: role as string }));

/** Which staff (by index) are not plain active accounts. */
const INACTIVE = new Set([5, 13, 22, 27]);
const INVITED = new Set([9, 18, 28]);
const DELETED = new Set([3, 16, 29]);

export const DEMO_ADMIN_EMAIL = "admin@demo-clinic.example";
const DAY = 86_400_000;

export class SeedRefused extends Error {}

export interface SeedResult {
  admin: { email: string; password: string };
  staffPassword: string;
  staff: { active: number; inactive: number; invited: number; deleted: number };
  auditEvents: number;
}

/** A readable random password, printed once to whoever ran the seed. */
const newPassword = () => randomBytes(12).toString("base64url");
const emailOf = (name: string) =>
  `${name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, ".")}@demo-clinic.example`;

/**
 * Fills an empty database with a demo clinic: one admin, thirty staff (active,
 * inactive, invited, deleted) created over the last three months, and the
 * audit history such a clinic would have (sign-ups, sign-ins and failed ones,
 * profile and password changes, deactivations, deletions, a rate limit hit).
 * Refuses a database that already has accounts, so it never mixes demo data
 * into real data. One transaction: all of it or none.
 */
export async function seedDemoClinic(db: Database, passwords: PasswordHasher, now = new Date()): Promise<SeedResult> {
  const adminPassword = newPassword();
  const staffPassword = newPassword();
  // Two hashes for 31 accounts: bcrypt at full cost 31 times would take half a minute.
  const [adminHash, staffHash] = await Promise.all([passwords.hash(adminPassword), passwords.hash(staffPassword)]);
  // Working hours `daysAgo` days before today (UTC), never later than now.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = (daysAgo: number, hour = 9) => new Date(Math.min(now.getTime(), today - Math.round(daysAgo * DAY) + hour * 3_600_000));

  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(users);
    if ((existing?.n ?? 0) > 0) {
      throw new SeedRefused(
        `the database already has ${existing?.n} account(s); db:seed fills an empty one only (delete the data directory, or point DATABASE_URL at an empty database)`,
      );
    }
    const [admin] = await tx
      .insert(users)
      .values({
        email: DEMO_ADMIN_EMAIL,
        fullName: "Dr. Helen Park (clinic admin)",
        hashedPassword: adminHash,
        isAdmin: true,
        emailVerifiedAt: at(95),
        lastLogin: at(0, 8),
        createdAt: at(95),
        updatedAt: at(95),
      })
      .returning({ id: users.id });
    if (!admin) throw new Error("INSERT … RETURNING returned no row");

    const rows: NewUserRow[] = STAFF.map(({ name }, i) => {
      const joined = at(90 - i * 3);
      const base = { email: emailOf(name), fullName: name, createdAt: joined, updatedAt: joined };
      if (INVITED.has(i)) return { ...base, hashedPassword: null, invitedAt: joined };
      return {
        ...base,
        hashedPassword: staffHash,
        emailVerifiedAt: i % 7 === 6 ? null : joined,
        isActive: !INACTIVE.has(i) && !DELETED.has(i),
        lastLogin: at(i % 10, 8 + (i % 8)),
        deletedAt: DELETED.has(i) ? at(5 + i / 2) : null,
        updatedAt: DELETED.has(i) || INACTIVE.has(i) ? at(5 + i / 2) : joined,
      };
    });
    const staff = await tx.insert(users).values(rows).returning({ id: users.id, email: users.email });

    const events: NewAuditEventRow[] = [
      event("auth.register", at(95), admin.id, admin.id, { via: "cli", isAdmin: true }, { userAgent: "admin:create", ip: null }),
    ];
    staff.forEach((user, i) => {
      const joined = at(90 - i * 3);
      if (INVITED.has(i)) {
        events.push(event("admin.user.invite", joined, admin.id, user.id, { email: user.email }));
        return;
      }
      events.push(event("auth.register", joined, user.id, user.id, {}));
      // A sign-in every few days since joining, with the odd mistyped password.
      for (let day = 90 - i * 3 - 1; day >= 0; day -= 4 + (i % 5)) {
        if (day % 9 === 0)
          events.push(event("auth.login", at(day, 7), null, user.id, { reason: "invalid_password", email: user.email }, {}, "failure"));
        events.push(event("auth.login", at(day, 8 + (i % 8)), user.id, user.id, {}));
      }
      if (i % 4 === 1) events.push(event("user.update", at(60 - i), user.id, user.id, { changes: ["fullName"] }));
      if (i % 6 === 2) events.push(event("user.change_password", at(40 - i), user.id, user.id, {}));
      if (INACTIVE.has(i)) events.push(event("admin.user.update", at(5 + i / 2), admin.id, user.id, { changes: { isActive: false } }));
      if (DELETED.has(i)) events.push(event("admin.user.delete", at(5 + i / 2), admin.id, user.id, {}));
    });
    events.push(
      event("ratelimit.exceeded", at(12, 22), null, null, { limit: "login", scope: "ip" }, { ip: "203.0.113.77" }, "failure"),
      event("admin.user.update", at(30), admin.id, staff[0]?.id ?? null, { changes: { isAdmin: false } }),
    );
    // Batches keep each INSERT's parameter count well under Postgres's 65535.
    for (let i = 0; i < events.length; i += 500) await tx.insert(auditEvents).values(events.slice(i, i + 500));

    return {
      admin: { email: DEMO_ADMIN_EMAIL, password: adminPassword },
      staffPassword,
      staff: {
        active: STAFF.length - INACTIVE.size - INVITED.size - DELETED.size,
        inactive: INACTIVE.size,
        invited: INVITED.size,
        deleted: DELETED.size,
      },
      auditEvents: events.length,
    };
  });
}

function event(
  action: string,
  at: Date,
  actorId: string | null,
  targetUserId: string | null,
  detail: Record<string, unknown>,
  origin: { ip?: string | null; userAgent?: string } = {},
  outcome: "success" | "failure" = "success",
): NewAuditEventRow {
  return {
    action,
    outcome,
    at,
    actorId,
    targetUserId,
    ip: origin.ip === undefined ? `10.20.${Math.floor(at.getTime() / DAY) % 250}.${(at.getUTCHours() * 7) % 250}` : origin.ip,
    userAgent: origin.userAgent ?? "Mozilla/5.0 (demo clinic workstation)",
    requestId: null,
    detail,
  };
}
