import { createHash } from "node:crypto";

import type { FastifyInstance } from "fastify";

import { listMailbox } from "@voiceassist/api";
import type { Database } from "@voiceassist/db";

/** Newest mails shown; older ones stay in the outbox. */
const SHOWN = 100;

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;color:#1f2933;max-width:960px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}p.lead{color:#52606d;margin:0 0 24px}
article{border:1px solid #d9e2ec;border-radius:8px;padding:12px 16px;margin:0 0 12px}
h2{font-size:16px;margin:0 0 4px;overflow-wrap:anywhere}
.meta{color:#52606d;font-size:13px;margin:0 0 8px;overflow-wrap:anywhere}
.state{display:inline-block;border-radius:4px;padding:0 6px;background:#e4e7eb;font-size:12px}
a{color:#1d4ed8;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f7fa;padding:8px;border-radius:4px;font-size:13px}
`;
/** The page's one inline style, allowed by its hash: no 'unsafe-inline', no script at all. */
const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;
const CSP = `default-src 'none'; style-src ${STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

type MailboxEntry = Awaited<ReturnType<typeof listMailbox>>[number];

const STATE_LABELS: Record<MailboxEntry["state"], string> = {
  mailbox: "kept here (no SMTP)",
  pending: "waiting for SMTP",
  sent: "sent over SMTP",
  failed: "refused by SMTP",
};

function renderEntry(mail: MailboxEntry): string {
  const link = mail.link && /^https?:\/\//.test(mail.link) ? `<p><a href="${escapeHtml(mail.link)}">${escapeHtml(mail.link)}</a></p>` : "";
  const body = mail.textBody ? `<details><summary>Text</summary><pre>${escapeHtml(mail.textBody)}</pre></details>` : "";
  return [
    "<article>",
    `<h2>${escapeHtml(mail.subject)}</h2>`,
    `<p class="meta">To ${escapeHtml(mail.toAddress)} · ${escapeHtml(mail.createdAt.toISOString())} · <span class="state">${escapeHtml(STATE_LABELS[mail.state])}</span>${mail.lastError ? ` · ${escapeHtml(mail.lastError)}` : ""}</p>`,
    link,
    body,
    "</article>",
  ].join("");
}

export function renderMailboxPage(mails: MailboxEntry[]): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Dev mailbox · VoiceAssist</title>",
    `<style>${STYLE}</style></head><body>`,
    "<h1>Development mailbox</h1>",
    `<p class="lead">Mails the API queued, newest first (the last ${SHOWN}). Links open the web app. This page exists only outside production.</p>`,
    mails.length ? mails.map(renderEntry).join("\n") : "<p>No mail yet.</p>",
    "</body></html>",
  ].join("\n");
}

/**
 * GET /dev/mailbox: every queued mail as a readable page, so a newcomer can
 * follow a reset or invitation link without an SMTP server. Registered only
 * when NODE_ENV is not production (the route does not exist there: 404).
 */
export function registerDevMailbox(app: FastifyInstance, db: Database) {
  app.get("/dev/mailbox", async (_request, reply) => {
    const mails = await listMailbox(db, SHOWN);
    return reply
      .header("content-security-policy", CSP)
      .header("cache-control", "no-store")
      .type("text/html; charset=utf-8")
      .send(renderMailboxPage(mails));
  });
}
