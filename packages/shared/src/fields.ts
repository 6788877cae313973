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

export const passwordSchema = text()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine((value) => utf8.encode(value).length <= PASSWORD_MAX_BYTES, {
    message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`,
  });

/** 1–255 characters after trimming, or null to clear the name. */
export const fullNameSchema = text()
  .trim()
  .min(1, "Full name must not be empty")
  .max(255, "Full name must be at most 255 characters")
  .nullable();

export const uuidSchema = z.uuid("Invalid id");
