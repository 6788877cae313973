import { passwordProblem, type PasswordProblem } from "@voiceassist/shared/common-passwords";

import { DomainError } from "../errors";

const messages: Record<PasswordProblem, string> = {
  INVALID_CHARACTERS: "Password must not contain NUL characters",
  TOO_SHORT: "Password must have at least 8 visible characters (spaces and invisible characters do not count)",
  TOO_LONG: "Password must be at most 72 bytes in UTF-8",
  COMMON_PASSWORD: "This password is too common or matches your email address; choose another one",
};

/**
 * Throws unless `password` is acceptable as a NEW password for the account
 * with `email` (register, change, reset, accept-invite). BAD_REQUEST in all
 * cases; `error.data.reason = "COMMON_PASSWORD"` when the password is in the
 * common-password list or equals the email or its local part. The shape
 * problems are already refused by `passwordSchema`; they are repeated here so
 * a service called without the router is still safe.
 */
export function assertAcceptablePassword(password: string, email: string | null | undefined): void {
  const problem = passwordProblem(password, { email });
  if (!problem) return;
  throw problem === "COMMON_PASSWORD"
    ? new DomainError("invalid_input", messages.COMMON_PASSWORD, { reason: "COMMON_PASSWORD" })
    : new DomainError("invalid_input", messages[problem]);
}
