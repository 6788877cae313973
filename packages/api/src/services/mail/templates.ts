/**
 * The account mails: plain text plus simple HTML, no images, no tracking,
 * no remote content. Each names the product, the action, how long its link
 * works, and what to do if the reader did not ask for it. Links carry the
 * token in the fragment (`#token=`), which browsers never send to a server.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** The action link, if the mail has one. */
  link: string | null;
}

/** What every template may use: the product name and where the apps live. */
export interface MailSite {
  productName: string;
  webUrl: string;
  adminUrl: string;
}

export type MailTemplate =
  | { template: "verify_email"; token: string }
  | { template: "password_reset"; token: string }
  | { template: "email_change_confirm"; token: string; newEmail: string }
  | { template: "email_change_notice"; newEmail: string; byAdmin: boolean }
  | { template: "invitation"; token: string; invitedBy: string | null }
  | { template: "mfa_reset"; by: "admin" | "cli" }
  | { template: "mfa_changed"; change: MfaChange }
  | { template: "password_changed" };

/** A change the user made to their own second factors (services/mfa/notices.ts maps to it). */
export type MfaChange =
  | { kind: "totp_enabled" }
  | { kind: "totp_disabled" }
  | { kind: "passkey_added"; name: string }
  | { kind: "passkey_removed"; name: string }
  | { kind: "backup_codes_regenerated" };

export type MailTemplateName = MailTemplate["template"];

/** How long each kind of link works; the token service uses the same numbers. */
export const LINK_LIFETIME_HOURS = { password_reset: 1, email_verify: 24, email_change: 24, invite: 72 } as const;

const escapeHtml = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** `<webUrl>/<page>#token=<token>`; the token is base64url, the fragment keeps it out of every server log. */
export function tokenLink(webUrl: string, page: string, token: string): string {
  return `${webUrl.replace(/\/+$/, "")}/${page}#token=${encodeURIComponent(token)}`;
}

const hours = (n: number) => (n === 1 ? "1 hour" : `${n} hours`);

interface MailBody {
  subject: string;
  /** Paragraphs, plain text; escaped for HTML. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** "If this wasn't you" guidance. */
  notYou: string;
}

function compose(site: MailSite, body: MailBody): RenderedMail {
  const text = [
    ...body.paragraphs,
    ...(body.action ? [`${body.action.label}:\n${body.action.url}`] : []),
    body.notYou,
    `— ${site.productName}`,
  ].join("\n\n");
  const p = (content: string) => `<p style="margin:0 0 16px">${content}</p>`;
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,sans-serif;font-size:15px;line-height:1.5;color:#1f2933;max-width:560px;margin:0 auto;padding:24px">',
    `<h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(site.productName)}</h1>`,
    ...body.paragraphs.map((paragraph) => p(escapeHtml(paragraph))),
    ...(body.action
      ? [
          p(
            `<a href="${escapeHtml(body.action.url)}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(body.action.label)}</a>`,
          ),
          p(`Or copy this link into your browser:<br><span style="word-break:break-all">${escapeHtml(body.action.url)}</span>`),
        ]
      : []),
    p(`<small style="color:#52606d">${escapeHtml(body.notYou)}</small>`),
    "</body></html>",
  ].join("\n");
  return { subject: body.subject, text, html, link: body.action?.url ?? null };
}

export function renderMail(site: MailSite, mail: MailTemplate): RenderedMail {
  const product = site.productName;
  switch (mail.template) {
    case "verify_email":
      return compose(site, {
        subject: `Verify your email address for ${product}`,
        paragraphs: [
          `Please confirm that this address belongs to your ${product} account.`,
          `The link works for ${hours(LINK_LIFETIME_HOURS.email_verify)} and only once.`,
        ],
        action: { label: "Verify email address", url: tokenLink(site.webUrl, "verify-email", mail.token) },
        notYou: `If you did not create a ${product} account, ignore this mail; the address will not be verified.`,
      });
    case "password_reset":
      return compose(site, {
        subject: `Reset your ${product} password`,
        paragraphs: [
          `Someone asked to reset the password of the ${product} account for this address.`,
          `The link works for ${hours(LINK_LIFETIME_HOURS.password_reset)} and only once; asking again makes older links stop working. Resetting signs you out everywhere.`,
        ],
        action: { label: "Choose a new password", url: tokenLink(site.webUrl, "reset-password", mail.token) },
        notYou: "If this wasn't you, ignore this mail: your password stays as it is. If it keeps happening, tell your administrator.",
      });
    case "email_change_confirm":
      return compose(site, {
        subject: `Confirm your new email address for ${product}`,
        paragraphs: [
          `You asked to sign in to ${product} with ${mail.newEmail} from now on.`,
          `Your sign-in email changes only when you open this link. It works for ${hours(LINK_LIFETIME_HOURS.email_change)} and only once.`,
        ],
        action: { label: "Confirm new email address", url: tokenLink(site.webUrl, "confirm-email", mail.token) },
        notYou: `If this wasn't you, ignore this mail; no ${product} account will use this address.`,
      });
    case "email_change_notice":
      return compose(site, {
        subject: `Your ${product} email address is changing`,
        paragraphs: mail.byAdmin
          ? [`An administrator changed the sign-in email of your ${product} account to ${mail.newEmail}.`]
          : [
              `Someone signed in to your ${product} account asked to change its sign-in email to ${mail.newEmail}.`,
              `The change takes effect only when the link sent to the new address is opened (within ${hours(LINK_LIFETIME_HOURS.email_change)}).`,
            ],
        notYou: `If this wasn't you, change your ${product} password now and tell your administrator: someone else may be using your account.`,
      });
    case "invitation":
      return compose(site, {
        subject: `You are invited to ${product}`,
        paragraphs: [
          mail.invitedBy ? `${mail.invitedBy} invited you to ${product}.` : `You have been invited to ${product}.`,
          `Open the link to choose your password and finish setting up your account. It works for ${hours(LINK_LIFETIME_HOURS.invite)} and only once.`,
        ],
        action: { label: "Accept invitation", url: tokenLink(site.webUrl, "accept-invite", mail.token) },
        notYou: "If you did not expect this invitation, ignore this mail; no account is usable until the invitation is accepted.",
      });
    case "mfa_reset":
      return compose(site, {
        subject: `Your ${product} second factor was reset`,
        paragraphs: [
          mail.by === "admin"
            ? `An administrator removed the second factors (authenticator app, passkeys, backup codes) of your ${product} account and signed you out everywhere.`
            : `The second factors (authenticator app, passkeys, backup codes) of your ${product} account were removed by your administrator from the server's command line, and you were signed out everywhere.`,
          "Sign in with your password and set up a second factor again.",
        ],
        action: { label: `Sign in to ${product}`, url: `${site.webUrl.replace(/\/+$/, "")}/` },
        notYou: "If you did not ask for this, tell your administrator at once.",
      });
    case "mfa_changed":
      return compose(site, mfaChangedMail(site, mail.change));
    case "password_changed":
      return compose(site, {
        subject: `Your ${product} password was changed`,
        paragraphs: [`The password of your ${product} account was just changed. Other sessions were signed out.`],
        notYou: `If this wasn't you, reset your password now from the ${product} sign-in page and tell your administrator.`,
      });
  }
}

/** Every own-factor change: what changed, where to review it, and what to do if it was someone else. */
function mfaChangedMail(site: MailSite, change: MfaChange): MailBody {
  const product = site.productName;
  const signedOut = "Your other sessions were signed out.";
  const what: { subject: string; paragraphs: string[] } = (() => {
    switch (change.kind) {
      case "totp_enabled":
        return {
          subject: `An authenticator app now protects your ${product} account`,
          paragraphs: [
            `An authenticator app was set up as a second factor for your ${product} account, and 10 backup codes were made. Signing in now takes a code from the app after your password.`,
            signedOut,
          ],
        };
      case "totp_disabled":
        return {
          subject: `The authenticator app was turned off for your ${product} account`,
          paragraphs: [`The authenticator app no longer signs in to your ${product} account; its codes stop working.`, signedOut],
        };
      case "passkey_added":
        return {
          subject: `A passkey was added to your ${product} account`,
          paragraphs: [`A passkey named "${change.name}" was added to your ${product} account. It can now sign you in.`, signedOut],
        };
      case "passkey_removed":
        return {
          subject: `A passkey was removed from your ${product} account`,
          paragraphs: [
            `The passkey named "${change.name}" was removed from your ${product} account and can no longer sign you in.`,
            signedOut,
          ],
        };
      case "backup_codes_regenerated":
        return {
          subject: `New backup codes for your ${product} account`,
          paragraphs: [`New backup codes were made for your ${product} account. The old ones no longer work.`],
        };
    }
  })();
  return {
    ...what,
    action: { label: "Review your second factors", url: `${site.webUrl.replace(/\/+$/, "")}/security` },
    notYou: `If this wasn't you, reset your ${product} password now from the sign-in page and contact your administrator: someone else may be using your account.`,
  };
}
