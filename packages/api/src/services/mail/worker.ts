import { safeErrorMessage, type Database } from "@voiceassist/db";

import type { Logger } from "../../context";
import { exponentialBackoff, startPollingLoop } from "../polling-loop";
import { leaseDueMails, settleMail, type DeliveryOutcome, type LeasedMail } from "./outbox";
import { describeSmtpError, isPermanentRefusal, type MailTransport } from "./smtp";

export interface MailWorkerOptions {
  db: Database;
  /** null: no SMTP configured, mails stay in the outbox for the development mailbox. */
  transport: MailTransport | null;
  logger: Logger;
  pollMs: number;
  /** First retry delay; doubles per attempt up to an hour. Transient failures retry until accepted. */
  backoffMs: number;
  /** Log each kept mail's link (development mailbox only; links carry tokens). */
  logLinks: boolean;
  batchSize?: number;
  leaseMs?: number;
}

export type MailWorker = ReturnType<typeof startMailWorker>;

/**
 * Delivers the outbox. A row is marked sent only after the SMTP server
 * accepted it, and only by the attempt that leased it; a 5xx refusal ends
 * it as failed with the reply; anything else retries with backoff.
 */
export function startMailWorker(options: MailWorkerOptions) {
  const { db, transport, logger, batchSize = 20, leaseMs = 120_000 } = options;

  async function deliver(mail: LeasedMail): Promise<DeliveryOutcome> {
    if (!transport) {
      logger.info(
        { mailId: mail.id, subject: mail.subject, ...(options.logLinks ? { link: mail.link } : {}) },
        "mail kept in the dev mailbox (SMTP_URL unset)",
      );
      return { state: "mailbox" };
    }
    try {
      return { state: "sent", reply: await transport.send(mail) };
    } catch (error) {
      const reply = describeSmtpError(error);
      if (isPermanentRefusal(error)) {
        logger.warn({ mailId: mail.id, reply }, "mail refused for good");
        return { state: "failed", reply };
      }
      const retryInMs = exponentialBackoff(mail.attempts - 1, options.backoffMs);
      logger.warn({ mailId: mail.id, reply, attempt: mail.attempts, retryInMs }, "mail delivery failed, will retry");
      return { state: "retry", reply, retryInMs };
    }
  }

  /** Settling an accepted mail must not be lost to a blip: the lease would expire and send it again. */
  async function settle(mail: LeasedMail, outcome: DeliveryOutcome) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await settleMail(db, mail, outcome);
      } catch (error) {
        if (attempt >= 5) throw error;
        logger.warn({ mailId: mail.id, reason: safeErrorMessage(error) }, "recording a mail outcome failed, retrying");
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  async function runOnce(): Promise<number> {
    const mails = await leaseDueMails(db, batchSize, leaseMs);
    await Promise.all(mails.map(async (mail) => settle(mail, await deliver(mail))));
    return mails.length;
  }

  const loop = startPollingLoop({ runOnce, batchSize, pollMs: options.pollMs, logger, name: "mail outbox" });
  // Mail queued before this start (a restart, an outage) goes out at once.
  loop.wake();
  return {
    runOnce,
    /** Mail was just queued here: look now instead of at the next poll. */
    wake: loop.wake,
    async stop() {
      await loop.stop();
      transport?.close();
    },
  };
}
