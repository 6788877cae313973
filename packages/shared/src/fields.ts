import { z } from "zod";

/** bcrypt reads at most 72 bytes; anything longer would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;
export const PASSWORD_MIN_LENGTH = 8;

const utf8 = new TextEncoder();

/**
 * A string without NUL characters. PostgreSQL text cannot hold U+0000 (the
 * driver fails, which would be a 500), and C-style code cuts strings there.
 */
export const text = () => z.string().refine((value) => !value.includes("\u0000"), { message: "Must not contain NUL characters" });

export const emailSchema = text()
  .trim()
  .toLowerCase()
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Invalid email address"));

/**
 * Characters that do not show: white space, controls (Cc), format characters
 * (Cf: zero-width space/joiners, bidi controls, soft hyphen, BOM…) and other
 * default-ignorable code points (variation selectors, Hangul fillers…).
 */
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Number of code points of `value` that are not in INVISIBLE. */
export function visibleLength(value: string): number {
  let count = 0;
  for (const _ of value.replace(INVISIBLE, "")) count++;
  return count;
}

/**
 * Problems a password has on its own, without the common-password list or the
 * account's email (those are checked by the server through
 * "@voiceassist/shared/common-passwords").
 *
 * Rule (contract F16): the password is taken in Unicode NFC (that is the form
 * that is hashed), and
 * - must not contain NUL ("INVALID_CHARACTERS");
 * - must have at least PASSWORD_MIN_LENGTH *visible* characters, i.e. code
 *   points that are not white space, control, format (zero-width, bidi…) or
 *   default-ignorable ("TOO_SHORT"). So "        " (eight spaces), eight
 *   U+200B, or "abc" padded with tabs are refused, while "correct horse"
 *   (12 visible) is fine;
 * - must be at most PASSWORD_MAX_BYTES bytes in UTF-8 ("TOO_LONG").
 */
export type PasswordShapeProblem = "INVALID_CHARACTERS" | "TOO_SHORT" | "TOO_LONG";

export function passwordShapeProblem(password: string): PasswordShapeProblem | null {
  if (password.includes("\u0000")) return "INVALID_CHARACTERS";
  const nfc = password.normalize("NFC");
  if (utf8.encode(nfc).length > PASSWORD_MAX_BYTES) return "TOO_LONG";
  if (visibleLength(nfc) < PASSWORD_MIN_LENGTH) return "TOO_SHORT";
  return null;
}

/**
 * A new password (register, change, reset, accept-invite). The value is NOT
 * normalised here, so that sign-in can still try the raw form against hashes
 * made before NFC was introduced; the password hasher normalises it.
 * The server additionally calls `passwordProblem` from
 * "@voiceassist/shared/common-passwords" (common list, email).
 */
export const passwordSchema = text()
  .refine((value) => visibleLength(value.normalize("NFC")) >= PASSWORD_MIN_LENGTH, {
    message: `Password must have at least ${PASSWORD_MIN_LENGTH} visible characters (spaces and invisible characters do not count)`,
  })
  .refine((value) => utf8.encode(value.normalize("NFC")).length <= PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`,
  });

/**
 * A password that is checked against a stored hash (sign-in, current password):
 * no strength rules, so accounts whose passwords predate them can still sign in.
 */
export const existingPasswordSchema = text().min(1, "Password is required").max(1024, "Password is too long");

/**
 * Characters a name must not contain: controls (Cc, which covers ESC of ANSI
 * escapes, CR/LF, DEL, C1), format characters (Cf: bidi embeddings/overrides/
 * isolates U+202A–U+202E and U+2066–U+2069, zero-width space, word joiner,
 * BOM…, except ZWJ and ZWNJ, see below), private-use
 * and surrogate code points, and line/paragraph separators.
 */
const NAME_FORBIDDEN = /[\p{Cc}\p{Co}\p{Cs}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;
/** ZWJ/ZWNJ are allowed (emoji sequences, Indic and Persian scripts), but only between two visible characters. */
const NAME_LOOSE_JOINER = /(?:^|[\s\u200C\u200D])[\u200C\u200D]|[\u200C\u200D](?:$|\s)/u;

/**
 * 1–255 characters after NFC normalisation and trimming, or null to clear the
 * name. Letters of any script, marks, apostrophes, hyphens, spaces and emoji
 * are fine; control and invisible format characters are refused, as is a
 * value without any visible character.
 */
export const fullNameSchema = text()
  .transform((value) => value.normalize("NFC").trim())
  .pipe(
    z
      .string()
      .min(1, "Full name must not be empty")
      .max(255, "Full name must be at most 255 characters")
      .refine((value) => !NAME_FORBIDDEN.test(value) && !NAME_LOOSE_JOINER.test(value), {
        message: "Full name must not contain control or invisible formatting characters",
      })
      .refine((value) => visibleLength(value) > 0, { message: "Full name must contain a visible character" }),
  )
  .nullable();

export const uuidSchema = z.uuid("Invalid id");
