import type { Flash as BaseFlash } from "@voiceassist/ui";

/** A one-off message carried to the next screen (e.g. why the user is back at sign-in). */
export interface Flash extends BaseFlash {
  /** Pre-fills the sign-in form after registration. */
  email?: string;
}
