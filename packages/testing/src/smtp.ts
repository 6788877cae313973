import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAuthentication } from "smtp-server";

import { freePort } from "./ports";
import { until } from "./wait";

/** One answer the server gives to a message instead of accepting it. */
export interface SmtpRefusal {
  code: number;
  message: string;
}

export interface SmtpCatcherOptions {
  /** Require AUTH with these credentials (PLAIN or LOGIN over plain TCP, as a relay on loopback would). */
  credentials?: { user: string; pass: string };
  /** Called for every accepted message as it arrives (benchmarks time arrivals with it). */
  onMail?: (mail: ParsedMail) => void;
}

/**
 * A real SMTP server (the `smtp-server` package) on an ephemeral loopback
 * port, keeping every accepted message parsed by `mailparser`. Tests queue
 * refusals (4xx, 5xx), stop it and start it again on the same port, and
 * read what arrived.
 */
export interface SmtpCatcher {
  port: number;
  /** SMTP_URL for the server under test, with the credentials when required. */
  url: string;
  /** Accepted messages, in arrival order. */
  mails: ParsedMail[];
  /** Every AUTH attempt: the method and user (never checked by the caller for the password). */
  authAttempts: Array<{ method: string; username: string | undefined; accepted: boolean }>;
  /** Answers the next messages with these replies, one each, instead of accepting them. */
  refuseNext(...refusals: SmtpRefusal[]): void;
  /** Waits until a message matching `predicate` has arrived; returns it. */
  waitForMail(predicate?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  /** Mails to `address` (case-insensitive). */
  mailsTo(address: string): ParsedMail[];
  /** Closes the listener (clients see connection refused) until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const addressesOf = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((group) => group.value.map((a) => a.address?.toLowerCase()));

export async function startSmtpCatcher(options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const port = await freePort();
  const mails: ParsedMail[] = [];
  const authAttempts: SmtpCatcher["authAttempts"] = [];
  const refusals: SmtpRefusal[] = [];
  const { credentials } = options;

  const makeServer = () =>
    new SMTPServer({
      secure: false,
      // No STARTTLS offer: the self-signed default certificate would only make the client refuse.
      disabledCommands: credentials ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
      authOptional: !credentials,
      allowInsecureAuth: true,
      logger: false,
      // stop() stands for a crash: open (pooled) connections are cut at once, not after 30 s.
      closeTimeout: 10,
      onAuth(auth: SMTPServerAuthentication, _session, callback) {
        const accepted = Boolean(credentials && auth.username === credentials.user && auth.password === credentials.pass);
        authAttempts.push({ method: auth.method, username: auth.username, accepted });
        if (!accepted) return callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
        callback(null, { user: auth.username });
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const refusal = refusals.shift();
          if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              mails.push(parsed);
              options.onMail?.(parsed);
              callback(null, "Message queued");
            },
            (error: Error) => callback(error),
          );
        });
      },
    });

  let server: SMTPServer | null = null;
  const start = async () => {
    if (server) return;
    const fresh = makeServer();
    fresh.on("error", () => {}); // a client hanging up mid-session is not a test failure
    await new Promise<void>((resolve, reject) => {
      fresh.server.once("error", reject);
      fresh.listen(port, "127.0.0.1", () => resolve());
    });
    server = fresh;
  };
  const stop = async () => {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await start();

  const userinfo = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@` : "";
  return {
    port,
    url: `smtp://${userinfo}127.0.0.1:${port}`,
    mails,
    authAttempts,
    refuseNext: (...next) => refusals.push(...next),
    async waitForMail(predicate = () => true, timeoutMs = 10_000) {
      await until(() => mails.some(predicate), timeoutMs);
      return mails.find(predicate) as ParsedMail;
    },
    mailsTo: (address) => mails.filter((mail) => addressesOf(mail).includes(address.toLowerCase())),
    stop,
    start,
    close: stop,
  };
}

/** The token in a mail's action link (`…#token=<token>`), from its text part. */
export function tokenFromMail(mail: Pick<ParsedMail, "text">): string {
  const match = /#token=([A-Za-z0-9_%-]+)/.exec(mail.text ?? "");
  if (!match?.[1]) throw new Error("no token link in the mail");
  return decodeURIComponent(match[1]);
}
