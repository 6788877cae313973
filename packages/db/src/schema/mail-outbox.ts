import { index, integer, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

import { users } from "./users";

/**
 * pending: waiting for (another) delivery attempt; sent: the SMTP server
 * accepted it; failed: refused for good (5xx), the reply kept in lastError;
 * mailbox: no SMTP configured, kept for the development mailbox only.
 */
export const MAIL_STATES = ["pending", "sent", "failed", "mailbox"] as const;
export type MailState = (typeof MAIL_STATES)[number];

/**
 * The durable outbox: every mail is written in the transaction that causes
 * it and delivered by a worker on any instance. Bodies (which may carry a
 * live token) are cleared once the row is settled as sent or failed.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The user the mail concerns; kept null once that user is erased. */
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    template: varchar({ length: 40 }).notNull(),
    toAddress: varchar({ length: 255 }).notNull(),
    subject: varchar({ length: 255 }).notNull(),
    textBody: text(),
    htmlBody: text(),
    /** The action link of the mail, for the development mailbox and its log line. */
    link: text(),
    /** Stable across retries, so a receiver can drop a duplicate of one delivery. */
    messageId: varchar({ length: 255 }).notNull().unique(),
    state: varchar({ length: 16, enum: MAIL_STATES }).notNull().default("pending"),
    /** Delivery attempts started; a worker settles a row only for the attempt it leased. */
    attempts: integer().notNull().default(0),
    /** The last SMTP reply or error (refusal reason, or the acceptance line). */
    lastError: varchar({ length: 500 }),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A worker's lease: while in the future, no other worker takes the row. */
    lockedUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("mail_outbox_due_idx").on(t.state, t.nextAttemptAt), index("mail_outbox_created_at_idx").on(t.createdAt)],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
