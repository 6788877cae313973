import type { SmtpCatcher } from "@voiceassist/testing/smtp";

type ParsedMail = SmtpCatcher["mails"][number];

/** The action link of the newest mail to `address` whose subject matches, as a reader would click it. */
export async function linkFromMail(smtp: SmtpCatcher, address: string, subject: RegExp): Promise<string> {
  const matches = (mail: ParsedMail) => smtp.mailsTo(address).includes(mail) && subject.test(mail.subject ?? "");
  await smtp.waitForMail(matches);
  const mail = smtp.mails.filter(matches).at(-1) as ParsedMail;
  const link = /(https?:\/\/\S+#token=[A-Za-z0-9_-]+)/.exec(mail.text ?? "")?.[1];
  if (!link) throw new Error(`no action link in "${mail.subject}"`);
  return link;
}
