import { randomUUID } from "node:crypto";

import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";

import { mailOutbox, type Database } from "@voiceassist/db";

import { renderMail, type MailSite, type MailTemplate } from "./templates";

/** What enqueueing needs: the site the links point at, and the sender's domain for Message-IDs. */
export interface MailSettings extends MailSite {
  /** The domain of MAIL_FROM; Message-IDs are `<row id>@<domain>`. */
  messageIdDomain: string;
}

export interface MailRequest {
  to: string;
  /** The user the mail concerns, if any. */
  userId?: string | null;
}

/**
 * Queues one mail. Call it with the transaction that makes the change the
 * mail reports, so the mail exists exactly when the change does; the worker
 * delivers it after commit.
 */
export async function enqueueMail(tx: Database, settings: MailSettings, request: MailRequest & MailTemplate): Promise<void> {
  const { to, userId, ...template } = request;
  const rendered = renderMail(settings, template);
  const id = randomUUID();
  await tx.insert(mailOutbox).values({
    id,
    userId: userId ?? null,
    template: template.template,
    toAddress: to,
    subject: rendered.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    link: rendered.link,
    messageId: `<${id}@${settings.messageIdDomain}>`,
  });
}

export interface LeasedMail {
  id: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  link: string | null;
  messageId: string;
  /** This lease's attempt number: settling checks it, so a stale lease settles nothing. */
  attempts: number;
}

/**
 * Leases up to `limit` due mails. SKIP LOCKED lets several instances claim
 * at once without waiting on or taking each other's rows; the lease keeps a
 * mail from being taken again while it is being sent.
 */
export async function leaseDueMails(db: Database, limit: number, leaseMs: number): Promise<LeasedMail[]> {
  const m = mailOutbox;
  const due = db
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.state, "pending"), lte(m.nextAttemptAt, sql`now()`), or(isNull(m.lockedUntil), lte(m.lockedUntil, sql`now()`))))
    .orderBy(m.nextAttemptAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(m)
    .set({ lockedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`, attempts: sql`${m.attempts} + 1` })
    .where(inArray(m.id, due))
    .returning({
      id: m.id,
      toAddress: m.toAddress,
      subject: m.subject,
      textBody: m.textBody,
      htmlBody: m.htmlBody,
      link: m.link,
      messageId: m.messageId,
      attempts: m.attempts,
    });
  return rows.map((row) => ({ ...row, textBody: row.textBody ?? "", htmlBody: row.htmlBody ?? "" }));
}

export type DeliveryOutcome =
  | { state: "sent"; reply: string }
  | { state: "mailbox" }
  | { state: "failed"; reply: string }
  | { state: "retry"; reply: string; retryInMs: number };

/**
 * Records what happened to a leased mail, only if the lease is still this
 * attempt's. A settled mail loses its bodies (they may hold a live token);
 * one kept for the development mailbox keeps them.
 */
export async function settleMail(db: Database, mail: Pick<LeasedMail, "id" | "attempts">, outcome: DeliveryOutcome): Promise<void> {
  const m = mailOutbox;
  const ours = and(eq(m.id, mail.id), eq(m.state, "pending"), eq(m.attempts, mail.attempts));
  const scrubbed = { textBody: null, htmlBody: null, link: null };
  const reply = "reply" in outcome ? outcome.reply.slice(0, 500) : null;
  switch (outcome.state) {
    case "sent":
      await db
        .update(m)
        .set({ state: "sent", sentAt: sql`now()`, lockedUntil: null, lastError: reply, ...scrubbed })
        .where(ours);
      return;
    case "mailbox":
      await db.update(m).set({ state: "mailbox", lockedUntil: null }).where(ours);
      return;
    case "failed":
      await db
        .update(m)
        .set({ state: "failed", lockedUntil: null, lastError: reply, ...scrubbed })
        .where(ours);
      return;
    case "retry":
      await db
        .update(m)
        .set({ lockedUntil: null, lastError: reply, nextAttemptAt: sql`now() + ${`${outcome.retryInMs} milliseconds`}::interval` })
        .where(ours);
      return;
  }
}

/** The newest mails, for the development mailbox page. */
export async function listMailbox(db: Database, limit = 100) {
  const m = mailOutbox;
  return db
    .select({
      id: m.id,
      template: m.template,
      toAddress: m.toAddress,
      subject: m.subject,
      textBody: m.textBody,
      link: m.link,
      state: m.state,
      lastError: m.lastError,
      createdAt: m.createdAt,
    })
    .from(m)
    .orderBy(desc(m.createdAt), desc(m.id))
    .limit(limit);
}
