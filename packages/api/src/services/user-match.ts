import { eq, sql } from "drizzle-orm";

import { users } from "@voiceassist/db";

/** Matches an (already lower-cased) email the way the unique index compares them. */
export const emailIs = (email: string) => eq(sql`lower(${users.email})`, email);

/** Escapes LIKE's wildcards so user text is matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
