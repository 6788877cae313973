import { eq, sql, type SQL } from "drizzle-orm";

import { USER_SEARCH_SEPARATOR, users } from "@voiceassist/db";
import { text } from "@voiceassist/shared";

/** Matches an (already lower-cased) email the way the unique index compares them. */
export const emailIs = (email: string) => eq(sql`lower(${users.email})`, email);

/** Escapes LIKE's wildcards so user text is matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Users whose email or full name contains `term` (already lower-cased), literally: one LIKE
 * on users.search_text, served by its trigram index. Terms come through userSearchText.
 */
export const userMatches = (term: string): SQL => sql`${users.searchText} like ${`%${escapeLike(term)}%`} escape '\\'`;

/**
 * The input of a search over users (users.list, the audit log's user filter): it must not
 * contain the separator between email and name in users.search_text, or it could match across them.
 */
export const userSearchText = () =>
  text().refine((value) => !value.includes(USER_SEARCH_SEPARATOR), { message: "Must not contain the control character U+001F" });
