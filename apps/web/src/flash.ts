/** A one-off message carried to the next screen (e.g. why the user is back at sign-in). */
export interface Flash {
  message: string;
  tone: "info" | "success" | "warning";
  /** Pre-fills the sign-in form after registration. */
  email?: string;
}
