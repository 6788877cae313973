import { sql } from "drizzle-orm";
import { timestamp } from "drizzle-orm/pg-core";

/**
 * Creation/update stamps shared by mutable tables. Every UPDATE through Drizzle
 * stamps `updatedAt` with the database's clock (the same clock as the default);
 * services never set it themselves.
 */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => sql`now()`),
};
