import type { KoaContextWithOIDC } from "oidc-provider";

/** The few pages the provider itself renders, plain and self-contained (the CSP allows inline styles only). */

const escapeHtml = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}" +
  "button{font:inherit;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0;cursor:pointer}h1{font-size:1.4rem}";

export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** An error at the provider: the OAuth error and its description, nothing else. */
export async function renderErrorPage(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) {
  ctx.type = "html";
  ctx.body = page(
    "Sign-in could not continue",
    `<p>${escapeHtml(out.error_description ?? out.error)}</p><p><code>${escapeHtml(out.error)}</code></p>`,
  );
}

/** RP-initiated logout asks the user before ending the provider session. */
export async function renderLogoutPage(ctx: KoaContextWithOIDC, form: string) {
  ctx.type = "html";
  ctx.body = page(
    "Sign out?",
    `<p>Sign out of the applications you signed in to with VoiceAssist?</p>${form}` +
      '<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>' +
      '<button type="submit" form="op.logoutForm">No, stay signed in</button>',
  );
}

export async function renderLogoutSuccessPage(ctx: KoaContextWithOIDC) {
  ctx.type = "html";
  ctx.body = page("Signed out", "<p>You have been signed out.</p>");
}
