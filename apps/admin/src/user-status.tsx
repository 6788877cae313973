import type { RouterOutputs } from "@voiceassist/client";

type AdminUser = RouterOutputs["users"]["byId"];

export type UserStatus = "Erased" | "Deleted" | "Invited" | "Inactive" | "Active";

/** One word for where an account stands; deleted (and erased) wins over everything else. */
export function userStatus(user: Pick<AdminUser, "isActive" | "deletedAt" | "invitedAt"> & { erasedAt?: Date | null }): UserStatus {
  if (user.erasedAt) return "Erased";
  if (user.deletedAt) return "Deleted";
  if (user.invitedAt) return "Invited";
  return user.isActive ? "Active" : "Inactive";
}

/** The status as a badge, so Deleted never reads like Inactive. */
export function StatusBadge({ user }: { user: Parameters<typeof userStatus>[0] }) {
  const status = userStatus(user);
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
