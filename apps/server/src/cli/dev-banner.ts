/**
 * What `npm start` prints once the API, the web app and the admin panel all answer: the URLs
 * that work (the apps on localhost, where passkeys work; the API on loopback; the API's
 * development CORS origins include both spellings), the
 * development mailbox when mail is kept rather than sent, and how to get the first admin.
 */
export function banner(urls: { api: string; web: string; admin: string; devMailbox: boolean }): string {
  const rule = "─".repeat(72);
  return [
    "",
    rule,
    "  VoiceAssist is running (development; the API restarts on code changes)",
    "",
    `    Web app       ${urls.web}`,
    `    Admin panel   ${urls.admin}`,
    `    API           ${urls.api}/trpc   (reference: ${urls.api}/docs)`,
    ...(urls.devMailbox ? [`    Dev mailbox   ${urls.api}/dev/mailbox   (no SMTP_URL: mail is kept here, not sent)`] : []),
    "",
    "  First admin, in another terminal while this keeps running:",
    "    npm run admin:create -- --email you@example.com",
    "",
    "  Ctrl+C stops everything.",
    rule,
    "",
  ].join("\n");
}
