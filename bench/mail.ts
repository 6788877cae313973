/**
 * Mail through the outbox to a real SMTP server (smtp-server, in this process):
 * (a) the time from auth.requestPasswordReset to the reset mail accepted by
 *     SMTP, one request at a time (p50/p99);
 * (b) outbox throughput: BENCH_MAILS mails queued in one commit, delivered by
 *     two server processes on one database (mails/s, and exactly once).
 *
 *   npx tsx bench/mail.ts      (BENCH_RESETS=100, BENCH_MAILS=2000)
 */
import { hash } from "@node-rs/bcrypt";

import { startSmtpCatcher } from "@voiceassist/testing/smtp";

import { withCleanup } from "./lib/cleanup";
import { benchUserEmail, createBenchDatabase, seedBenchUsers } from "./lib/db";
import { envInt, PASSWORD } from "./lib/env";
import { ipSequence } from "./lib/ips";
import { startServer } from "./lib/server";
import { ms, printHeader, printLoad, summarize } from "./lib/stats";
import { mutation } from "./lib/trpc";

const RESETS = envInt("BENCH_RESETS", 100);
const MAILS = envInt("BENCH_MAILS", 2000);
const TIMEOUT_MS = 120_000;

await withCleanup(async (defer) => {
  printHeader("mail: reset request → SMTP acceptance, and outbox throughput on two instances");
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const smtp = await startSmtpCatcher({
    onMail: (mail) => {
      const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? "";
      arrivals.set(to, performance.now());
      waiters.get(to)?.();
    },
  });
  defer(() => smtp.close());
  const db = await createBenchDatabase("mail");
  defer(() => db.drop());
  await seedBenchUsers(db.sql, RESETS, await hash(PASSWORD, 4));

  const env = { SMTP_URL: smtp.url, MAIL_POLL_MS: "100", LOG_LEVEL: "warn" };
  const one = await startServer({ databaseUrl: db.url, env });
  defer(() => one.stop());

  // (a) One request at a time, each from its own IP for its own user (per-IP and per-email limits).
  const ips = ipSequence();
  const latencies: number[] = [];
  for (let n = 1; n <= RESETS; n++) {
    const email = benchUserEmail(n);
    const arrived = new Promise<void>((resolve, reject) => {
      waiters.set(email, resolve);
      setTimeout(() => reject(new Error(`no mail for ${email} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref();
    });
    const started = performance.now();
    await mutation(one.url, "auth.requestPasswordReset", { email }, { ip: ips() });
    await arrived;
    latencies.push((arrivals.get(email) ?? Number.NaN) - started);
  }
  const reset = summarize(latencies);
  console.log(
    `(a) requestPasswordReset → mail accepted by SMTP, ${reset.count} sequential requests: p50 ${ms(reset.p50)}  p90 ${ms(reset.p90)}  p99 ${ms(reset.p99)}  max ${ms(reset.max)}`,
  );
  console.log("    (the API answers after its fixed 250 ms floor; the mail leaves as soon as the request commits)");

  // (b) Two instances drain one outbox.
  const two = await startServer({ databaseUrl: db.url, env });
  defer(() => two.stop());
  const before = smtp.mails.length;
  const started = performance.now();
  await db.sql`
    insert into mail_outbox (template, to_address, subject, text_body, html_body, message_id)
    select 'password_changed', 'bulk-' || n || '@bench.test', 'Bench mail ' || n, 'Hello ' || n, '<p>Hello ' || n || '</p>',
           '<bulk-' || n || '-' || gen_random_uuid() || '@bench.test>'
    from generate_series(1, ${MAILS}) as n`;
  const deadline = started + TIMEOUT_MS;
  while (smtp.mails.length - before < MAILS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsedS = (performance.now() - started) / 1000;
  const bulk = smtp.mails.slice(before);
  const unique = new Set(bulk.map((mail) => mail.messageId)).size;
  const [{ sent }] = await db.sql<
    [{ sent: number }]
  >`select count(*)::int as sent from mail_outbox where state = 'sent' and to_address like 'bulk-%'`;
  console.log(
    `(b) ${MAILS} mails queued in one commit, two instances: ${bulk.length} received (${unique} distinct Message-IDs, ${sent} rows sent) in ${elapsedS.toFixed(2)} s = ${(bulk.length / elapsedS).toFixed(0)} mails/s`,
  );
  if (bulk.length !== MAILS || unique !== MAILS) console.log("    NOT exactly once: see above");
  printLoad("at end");
});
