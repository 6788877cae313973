/**
 * Transport limits both sides must agree on. The client imports this file
 * alone (subpath `@voiceassist/shared/transport`) so its bundle stays small.
 */

/** Calls one HTTP batch may carry: the server refuses a larger batch whole, the client's link splits before it. */
export const MAX_BATCH_ITEMS = 50;

/** The only message an unexpected failure (HTTP 500) shows a client; details go to the log. */
export const GENERIC_SERVER_ERROR_MESSAGE = "Internal server error";
