import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { enqueueMail, type MailDeps } from "@voiceassist/api";
import { mailOutbox } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { startSmtpCatcher, tokenFromMail, type SmtpCatcher } from "@voiceassist/testing/smtp";
import { until } from "@voiceassist/testing/wait";

/** Fast retries, so outage tests take a second, not minutes. */
const MAIL_ENV = { MAIL_POLL_MS: "50", MAIL_BACKOFF_MS: "50", MAIL_FROM: "VoiceAssist <no-reply@clinic.example>" };

/** Queues one mail as a service would (its own transaction) and returns the outbox row id. */
async function queueMail(server: TestServer, to: string) {
  const { db, mail } = server.deps.api;
  await db.transaction((tx) => enqueueMail(tx, mail.settings, { to, template: "password_changed" }));
  const [row] = await db.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.toAddress, to));
  mail.wake();
  if (!row) throw new Error("no outbox row");
  return row.id;
}

const rowOf = async (server: TestServer, id: string) => {
  const [row] = await server.deps.api.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  if (!row) throw new Error("outbox row gone");
  return row;
};

const uniqueTo = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;

describe("mail delivery over SMTP", () => {
  let smtp: SmtpCatcher;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpCatcher({ credentials: { user: "relay-user", pass: "relay p@ss" } });
    server = await startTestServer({ env: { ...MAIL_ENV, SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });
  afterEach(async () => {
    await smtp.start(); // a test that stopped it must not leave the next one without a server
  });

  it("delivers with AUTH PLAIN, the row's Message-ID, text and HTML, and marks the row sent with bodies cleared", async () => {
    const to = uniqueTo("deliver");
    const id = await queueMail(server, to);
    const mail = await smtp.waitForMail((m) => m.to !== undefined && smtp.mailsTo(to).includes(m));
    const row = await rowOf(server, id);
    expect(mail.messageId).toBe(row.messageId);
    expect(row.messageId).toBe(`<${id}@clinic.example>`);
    expect(mail.from?.value[0]).toMatchObject({ address: "no-reply@clinic.example", name: "VoiceAssist" });
    expect(mail.subject).toBe("Your VoiceAssist password was changed");
    expect(mail.text).toContain("If this wasn't you");
    expect(mail.html).toContain("<h1");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(smtp.authAttempts.some((a) => a.method === "PLAIN" && a.username === "relay-user" && a.accepted)).toBe(true);
    await until(async () => (await rowOf(server, id)).state === "sent");
    expect(await rowOf(server, id)).toMatchObject({ state: "sent", textBody: null, htmlBody: null, link: null, attempts: 1 });
    expect((await rowOf(server, id)).lastError).toMatch(/^250 /);
  });

  it("keeps the mail while the server is down and delivers it once when it is back", async () => {
    await smtp.stop();
    const to = uniqueTo("outage");
    const id = await queueMail(server, to);
    await until(async () => (await rowOf(server, id)).attempts >= 2);
    const waiting = await rowOf(server, id);
    expect(waiting.state).toBe("pending");
    expect(waiting.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(waiting.textBody).not.toBeNull();
    await smtp.start();
    await until(async () => (await rowOf(server, id)).state === "sent", 15_000);
    // Give a duplicate every chance to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo(to)).toHaveLength(1);
  });

  it("retries a 4xx answer and delivers on the next attempt", async () => {
    smtp.refuseNext({ code: 451, message: "Try again later" });
    const to = uniqueTo("transient");
    const id = await queueMail(server, to);
    await smtp.waitForMail((m) => smtp.mailsTo(to).includes(m));
    await until(async () => (await rowOf(server, id)).state === "sent");
    expect((await rowOf(server, id)).attempts).toBe(2);
    expect(smtp.mailsTo(to)).toHaveLength(1);
  });

  it("ends a 550 refusal as failed, with the server's reply, and never retries it", async () => {
    smtp.refuseNext({ code: 550, message: "No such mailbox here" });
    const to = uniqueTo("refused");
    const id = await queueMail(server, to);
    await until(async () => (await rowOf(server, id)).state !== "pending");
    const row = await rowOf(server, id);
    expect(row).toMatchObject({ state: "failed", attempts: 1, textBody: null, htmlBody: null });
    expect(row.lastError).toMatch(/^550 .*No such mailbox here/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rowOf(server, id)).attempts).toBe(1);
    expect(smtp.mailsTo(to)).toHaveLength(0);
  });

  it("reports smtp up in health.ready, and down (degraded, not 503) when the server is gone", async () => {
    const client = server.client();
    expect((await client.health.ready.query()).checks.smtp.status).toBe("up");
    await smtp.stop();
    const degraded = await client.health.ready.query();
    expect(degraded.status).toBe("degraded");
    expect(degraded.checks.smtp.status).toBe("down");
    expect(degraded.checks.smtp.detail).not.toContain("relay");
  });
});

describe("wrong SMTP credentials", () => {
  let smtp: SmtpCatcher;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpCatcher({ credentials: { user: "relay-user", pass: "right" } });
    const wrong = smtp.url.replace("relay-user:right@", "relay-user:wrong@");
    server = await startTestServer({ env: { ...MAIL_ENV, SMTP_URL: wrong } });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it("keeps retrying (a configuration problem is not the recipient's) and never logs the password", async () => {
    const to = uniqueTo("badauth");
    const id = await queueMail(server, to);
    await until(async () => (await rowOf(server, id)).attempts >= 2);
    const row = await rowOf(server, id);
    expect(row.state).toBe("pending");
    expect(row.lastError).toMatch(/535/);
    expect(row.lastError).not.toContain("wrong");
    expect(smtp.authAttempts.every((a) => !a.accepted)).toBe(true);
    expect((await server.client().health.ready.query()).checks.smtp.status).toBe("down");
  });
});

describe("two instances on one outbox", () => {
  let smtp: SmtpCatcher;
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    database = await createTestDatabase();
    one = await startTestServer({ database, env: { ...MAIL_ENV, SMTP_URL: smtp.url } });
    two = await startTestServer({ database, env: { ...MAIL_ENV, SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.destroy();
    await smtp?.close();
  });

  it("deliver every mail exactly once", async () => {
    const count = 120;
    const tos = Array.from({ length: count }, (_, i) => uniqueTo(`pair${i}`));
    // Queued in one transaction, so neither worker sees any before all exist; then both are woken.
    const { db, mail } = one.deps.api;
    await db.transaction(async (tx) => {
      for (const to of tos) await enqueueMail(tx, mail.settings, { to, template: "password_changed" });
    });
    const wake = (deps: { mail: MailDeps }) => deps.mail.wake();
    wake(one.deps.api);
    wake(two.deps.api);
    await until(async () => {
      const rows = await db.select({ state: mailOutbox.state }).from(mailOutbox).where(inArray(mailOutbox.toAddress, tos));
      return rows.every((row) => row.state === "sent");
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const delivered = tos.flatMap((to) => smtp.mailsTo(to));
    expect(delivered).toHaveLength(count);
    expect(new Set(delivered.map((m) => m.messageId)).size).toBe(count);
    const rows = await db.select({ attempts: mailOutbox.attempts }).from(mailOutbox).where(inArray(mailOutbox.toAddress, tos));
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  });
});

describe("token links", () => {
  it("finds the token in a mail's fragment link", () => {
    expect(tokenFromMail({ text: "Open:\nhttp://localhost:3000/reset-password#token=abc_DEF-123\n" })).toBe("abc_DEF-123");
  });
});
