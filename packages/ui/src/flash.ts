/** How a status line reads: `error` is for messages shown as an alert. */
export type Tone = "info" | "success" | "warning" | "error";

/** A one-off message carried to the next screen (e.g. why the user is back at sign-in). */
export interface Flash {
  message: string;
  tone: Tone;
}
