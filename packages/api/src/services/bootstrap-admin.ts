import { eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { recordAudit } from "./audit";
import type { PasswordHasher } from "./passwords";
import { requestProvisioning } from "./provisioning-queue";
import { publicUserColumns, type PublicUser } from "./public-user";
import { emailIs } from "./user-match";

/** Who asked: the admin:create CLI (directly or through the running server) or FIRST_ADMIN_EMAIL at start. */
export type BootstrapVia = "cli" | "startup";
const originOf = (via: BootstrapVia = "cli") => ({
  ip: null,
  userAgent: via === "startup" ? "FIRST_ADMIN_EMAIL" : "admin:create",
  requestId: null,
});

export async function findUserByEmail(db: Database, email: string): Promise<PublicUser | null> {
  const [user] = await db.select(publicUserColumns).from(users).where(emailIs(email)).limit(1);
  return user ?? null;
}

/** Whether Nextcloud must follow; the CLI passes what the server's configuration says. */
export interface BootstrapOptions {
  nextcloudProvisioning: boolean;
  /** Recorded in the audit event; "cli" when left out. */
  via?: BootstrapVia;
}

/** Promotes (and reactivates) an existing account; its password is left as it is. */
export async function promoteToAdmin(db: Database, user: PublicUser, options: BootstrapOptions): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ isActive: users.isActive }).from(users).where(eq(users.id, user.id)).for("update");
    const [updated] = await tx
      .update(users)
      .set({ isAdmin: true, isActive: true })
      .where(eq(users.id, user.id))
      .returning(publicUserColumns);
    if (!before || !updated) throw new Error(`user ${user.id} disappeared while being promoted`);
    // Reactivated here, so Nextcloud must re-enable the account, like any other activation.
    if (options.nextcloudProvisioning && !before.isActive) await requestProvisioning(tx, user.id, true);
    await recordAudit(tx, originOf(options.via), {
      action: "admin.user.update",
      outcome: "success",
      targetUserId: user.id,
      detail: { via: options.via ?? "cli", changes: { isAdmin: true, isActive: true } },
    });
    return updated;
  });
}

/** Creates a new admin account (operators bootstrap the first one this way). */
export async function createAdmin(
  deps: { db: Database; passwords: PasswordHasher } & BootstrapOptions,
  input: { email: string; password: string; fullName?: string | null },
): Promise<PublicUser> {
  const hashedPassword = await deps.passwords.hash(input.password);
  return deps.db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      // The operator vouches for the address (no mail can reach a first admin before SMTP is set up),
      // so REQUIRE_EMAIL_VERIFICATION never locks the bootstrap admin out.
      .values({ email: input.email, fullName: input.fullName ?? null, hashedPassword, isAdmin: true, emailVerifiedAt: sql`now()` })
      .returning(publicUserColumns);
    if (!user) throw new Error("INSERT … RETURNING returned no row");
    if (deps.nextcloudProvisioning) await requestProvisioning(tx, user.id, true);
    await recordAudit(tx, originOf(deps.via), {
      action: "auth.register",
      outcome: "success",
      targetUserId: user.id,
      detail: { via: deps.via ?? "cli", isAdmin: true },
    });
    return user;
  });
}
