import nodemailer, { type NodemailerError } from "nodemailer";

import type { LeasedMail } from "./outbox";

/** Delivers one mail; resolves with the server's acceptance reply, rejects as nodemailer does. */
export interface MailTransport {
  send(mail: LeasedMail): Promise<string>;
  close(): void;
}

export interface SmtpOptions {
  /** smtp:// or smtps://, credentials in the user info. */
  url: string;
  /** The From header, e.g. `VoiceAssist <no-reply@example.org>`. */
  from: string;
}

/**
 * A pooled SMTP transport (a few connections reused across mails). Every
 * wait is bounded well inside the worker's lease, so a hung server ends as
 * a retry, never as a second worker sending the same row.
 */
export function createSmtpTransport({ url, from }: SmtpOptions): MailTransport {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
        messageId: mail.messageId,
        headers: { "Auto-Submitted": "auto-generated" },
      });
      return info.response;
    },
    close: () => transport.close(),
  };
}

/**
 * One connection check (connect, greet, authenticate, quit) for health.ready:
 * a transport of its own with short timeouts, so the pool is never touched.
 */
export function createSmtpProbe(url: string, timeoutMs = 1900) {
  const probe = nodemailer.createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return {
    async check(): Promise<void> {
      await probe.verify();
    },
    close: () => probe.close(),
  };
}

/** Whether the server refused the message itself for good (5xx), not our session or credentials. */
export function isPermanentRefusal(error: unknown): boolean {
  const e = error as NodemailerError;
  return e?.permanent === true && e.code !== "EAUTH";
}

/** The SMTP reply, or a short cause; never the URL or its credentials. */
export function describeSmtpError(error: unknown): string {
  const e = error as NodemailerError;
  if (typeof e?.response === "string" && e.response) return e.response;
  if (typeof e?.code === "string") return `${e.code}${e.originalCode ? ` (${e.originalCode})` : ""}`;
  return "delivery failed";
}
