import { errorMessage, fieldErrors } from "@voiceassist/client";

/** What a form shows for a failed call: one message, and the server's per-field messages. */
export function formErrors(error: unknown): { message: string | null; fields: Record<string, string[]> } {
  if (!error) return { message: null, fields: {} };
  return { message: errorMessage(error), fields: fieldErrors(error) };
}
