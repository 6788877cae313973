import type { MailSettings } from "./outbox";

export { enqueueMail, leaseDueMails, listMailbox, settleMail } from "./outbox";
export type { DeliveryOutcome, LeasedMail, MailRequest, MailSettings } from "./outbox";
export { createSmtpProbe, createSmtpTransport, describeSmtpError, isPermanentRefusal } from "./smtp";
export type { MailTransport, SmtpOptions } from "./smtp";
export { LINK_LIFETIME_HOURS, renderMail, tokenLink } from "./templates";
export type { MailSite, MailTemplate, MailTemplateName, MfaChange, RenderedMail } from "./templates";
export { startMailWorker } from "./worker";
export type { MailWorker, MailWorkerOptions } from "./worker";

/** What services need to send mail: the settings for enqueueMail, and a nudge for this instance's worker. */
export interface MailDeps {
  settings: MailSettings;
  /** Call after the transaction that queued mail committed: the local worker looks at once. */
  wake(): void;
}
