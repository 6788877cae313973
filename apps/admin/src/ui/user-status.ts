import type { RouterOutputs } from "@voiceassist/client";

type StatusFields = Pick<RouterOutputs["users"]["byId"], "isActive" | "invitedAt" | "deletedAt">;

/** One word for where an account stands; an invitation not yet accepted comes first. */
export function userStatus(user: StatusFields): "Invited" | "Deleted" | "Active" | "Inactive" {
  if (user.invitedAt) return "Invited";
  if (user.deletedAt) return "Deleted";
  return user.isActive ? "Active" : "Inactive";
}
