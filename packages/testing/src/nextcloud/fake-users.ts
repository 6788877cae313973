import { createHash } from "node:crypto";

export interface FakeUser {
  id: string;
  displayName: string;
  email: string | null;
  enabled: boolean;
  isAdmin: boolean;
  /** sha256 hex; the fake never keeps plain passwords. */
  passwordHash: string;
}

/** The welcome mail Nextcloud would send (NewUserMailHelper); no SMTP, so the fake only records it. */
export interface FakeMail {
  userId: string;
  to: string;
  /** "set-password": created without a password, the mail carries the set-password link. */
  kind: "set-password" | "welcome";
}

export interface SeedUser {
  id: string;
  password: string;
  displayName?: string;
  email?: string;
  enabled?: boolean;
  isAdmin?: boolean;
}

export function hashPassword(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex");
}

export function toFakeUser(seed: SeedUser): FakeUser {
  return {
    id: seed.id,
    displayName: seed.displayName ?? seed.id,
    email: seed.email ?? null,
    enabled: seed.enabled ?? true,
    isAdmin: seed.isAdmin ?? false,
    passwordHash: hashPassword(seed.password),
  };
}

/** The Database user backend matches user ids case-insensitively. */
export function findUser(users: ReadonlyMap<string, FakeUser>, id: string): FakeUser | undefined {
  const lower = id.toLowerCase();
  for (const user of users.values()) if (user.id.toLowerCase() === lower) return user;
  return undefined;
}

export interface Rejection {
  code: number;
  message: string;
}

/** IUserManager::validateUserId (InvalidArgumentException → OCS 101). */
export function validateUserId(uid: string): Rejection | undefined {
  const reject = (message: string) => ({ code: 101, message });
  if (/[^a-zA-Z0-9 _.@\-']/.test(uid)) {
    return reject(`Only the following characters are allowed in an Login: "a-z", "A-Z", "0-9", spaces and "_.@-'"`);
  }
  if (uid.trim() === "") return reject("A valid Login must be provided");
  if (uid.trim() !== uid) return reject("Login contains whitespace at the beginning or at the end");
  if (uid === "." || uid === "..") return reject("Login must not consist of dots only");
  // No length check: 29.0.1 on SQLite stores a 65-character id (uid is varchar(64), which SQLite ignores).
  return undefined;
}

/**
 * User::setDisplayName trims, then the Database backend refuses more than 64 characters
 * (mb_strlen, so code points). undefined: nothing to set (empty after trimming).
 */
export function checkDisplayName(displayName: string): { value: string } | Rejection | undefined {
  const value = displayName.trim();
  if (value === "") return undefined;
  if ([...value].length > 64) return { code: 101, message: "Invalid displayname" };
  return { value };
}

// A handful of entries from password_policy's 1,000,000 list (which is keyed by lower case).
const COMMON_PASSWORDS = new Set([
  "123",
  "1234",
  "12345",
  "123456",
  "1234567",
  "12345678",
  "123456789",
  "1234567890",
  "password",
  "password1",
  "password123",
  "passw0rd",
  "qwerty",
  "qwerty123",
  "qwertyuiop",
  "letmein",
  "iloveyou",
  "admin",
  "admin123",
  "welcome",
  "welcome123",
  "monkey",
  "dragon",
  "111111",
  "000000",
  "abc123",
  "football",
  "baseball",
  "sunshine",
  "princess",
  "nextcloud",
  "1q2w3e4r5t",
  "1q2w3e4r",
  "1234qwer",
  "zaq12wsx",
]);

// FILTER_VALIDATE_EMAIL, near enough: dot-atom local part, a domain with at least one dot.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
export const isEmail = (value: string): boolean => EMAIL.test(value);

/** password_policy defaults: enforceNonCommonPassword, minLength 10; hints joined by spaces. */
export function checkPasswordPolicy(password: string, minLength = 10): Rejection | undefined {
  const hints: string[] = [];
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    hints.push("Password is among the 1,000,000 most common ones. Please make it unique.");
  }
  if (password.length < minLength) hints.push(`Password needs to be at least ${minLength} characters long.`);
  return hints.length > 0 ? { code: 107, message: hints.join(" ") } : undefined;
}

/** UsersController::getUserData as an admin sees it (key order matters for byte equality). */
export function userDetails(user: FakeUser, dataDirectory: string): Record<string, unknown> {
  return {
    enabled: user.enabled,
    storageLocation: `${dataDirectory}/${user.id}`,
    id: user.id,
    lastLogin: 0,
    backend: "Database",
    subadmin: [],
    quota: { quota: "none", used: 0 },
    manager: "",
    email: user.email,
    additional_mail: [],
    displayname: user.displayName,
    "display-name": user.displayName,
    phone: "",
    address: "",
    website: "",
    twitter: "",
    fediverse: "",
    organisation: "",
    role: "",
    headline: "",
    biography: "",
    profile_enabled: "1",
    groups: user.isAdmin ? ["admin"] : [],
    language: "en",
    locale: "",
    notify_email: null,
    backendCapabilities: { setDisplayName: true, setPassword: true },
  };
}
