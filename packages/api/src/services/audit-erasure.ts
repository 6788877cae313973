import { and, eq, isNotNull, or, sql } from "drizzle-orm";

import { auditEvents, type Database } from "@voiceassist/db";

/** What an erased value reads as in the audit trail. */
export const ERASED = "[erased]";

/** Detail keys that name a person (at any depth, e.g. `changes.email`). */
const PERSONAL_KEYS = new Set(["email", "fullName", "name", "newEmail", "oldEmail", "pendingEmail", "confirmEmail"]);

/**
 * The detail with every personal value replaced by ERASED: values under the
 * personal keys, and any string equal to one of `known` (the person's emails
 * and name, wherever an event put them). Ids, reasons and counts stay.
 */
export function scrubDetail(detail: unknown, known: string[]): unknown {
  const needles = new Set(known.filter(Boolean).map((value) => value.toLowerCase()));
  const scrub = (value: unknown, key?: string): unknown => {
    if (key !== undefined && PERSONAL_KEYS.has(key) && value !== null && value !== undefined) return ERASED;
    if (typeof value === "string") return needles.has(value.toLowerCase()) ? ERASED : value;
    if (Array.isArray(value)) return value.map((item) => scrub(item));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, k)]));
    }
    return value;
  };
  return scrub(detail);
}

/**
 * Scrubs one user's personal data from the audit trail: the events they acted
 * in or were the target of, and failed sign-ins that named their email. The
 * events stay (with the user id), only the detail loses names and addresses.
 */
export async function scrubUserFromAudit(
  tx: Database,
  user: { id: string; email: string; fullName: string | null; pendingEmail: string | null },
) {
  const known = [user.email, user.fullName ?? "", user.pendingEmail ?? ""];
  const events = await tx
    .select({ id: auditEvents.id, detail: auditEvents.detail })
    .from(auditEvents)
    .where(
      and(
        isNotNull(auditEvents.detail),
        or(
          eq(auditEvents.actorId, user.id),
          eq(auditEvents.targetUserId, user.id),
          // Refused sign-ins name the email typed (a locked account's carry no target): found through the action index.
          and(
            eq(auditEvents.action, "auth.login"),
            eq(auditEvents.outcome, "failure"),
            eq(sql`lower(${auditEvents.detail}->>'email')`, user.email.toLowerCase()),
          ),
        ),
      ),
    );
  for (const event of events) {
    const scrubbed = scrubDetail(event.detail, known) as Record<string, unknown>;
    if (JSON.stringify(scrubbed) === JSON.stringify(event.detail)) continue;
    await tx.update(auditEvents).set({ detail: scrubbed }).where(eq(auditEvents.id, event.id));
  }
}
