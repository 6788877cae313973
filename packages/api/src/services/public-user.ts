import { users, type UserRow } from "@voiceassist/db";

/**
 * The columns a client may see. Every query that returns a user selects
 * exactly these, so the password hash cannot leak by accident.
 */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  fullName: users.fullName,
  isActive: users.isActive,
  isAdmin: users.isAdmin,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  lastLogin: users.lastLogin,
  emailVerifiedAt: users.emailVerifiedAt,
  pendingEmail: users.pendingEmail,
  mfaEnabled: users.mfaEnabled,
  invitedAt: users.invitedAt,
  deletedAt: users.deletedAt,
};

/** A user as clients see it: the row without its password hash, internal counters or derived search text. */
export type PublicUser = Omit<UserRow, "hashedPassword" | "credentialsVersion" | "erasedAt" | "searchText">;
