import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";

import { createClient } from "@voiceassist/client";
import { enrolTotp } from "@voiceassist/testing/totp";

import { callerHeaders, newAccount, PASSWORD } from "./live-api";
import { OIDC_REDIRECT_URI } from "./live-api-context";
import { startSignInRequest } from "./oidc-request";
import { renderApp } from "./render-app";

const WANTS_YOU = "Clinic Notes wants you to sign in with your VoiceAssist account.";
/** The sentence naming the application (its name is in bold, so the text is split across elements). */
const wantsYou = () => screen.findByText((_, element) => element?.tagName === "P" && element.textContent === WANTS_YOU);

/** The page's "Continue" link: where it sent the browser (jsdom does not navigate). */
async function sentTo() {
  // A sign-in hashes a password on a busy machine: wait longer than Testing Library's second.
  await screen.findByRole("heading", { name: "Signing you in to Clinic Notes…" }, { timeout: 10_000 });
  const link = await screen.findByRole("link", { name: "Continue to Clinic Notes" }, { timeout: 10_000 });
  return link.getAttribute("href") ?? "";
}

/** Follows the page's target as the browser would, with the provider's cookies: the application gets a code. */
async function expectCodeFor(request: Awaited<ReturnType<typeof startSignInRequest>>, target: string) {
  expect(target.startsWith(`${request.issuer}/interaction/${request.uid}/finish?ticket=`)).toBe(true);
  const landed = await request.finish(target);
  expect(`${landed.origin}${landed.pathname}`).toBe(OIDC_REDIRECT_URI);
  expect(landed.searchParams.get("state")).toBe(request.state);
  expect(landed.searchParams.get("code")).toBeTruthy();
}

async function passwordStep(user: ReturnType<typeof userEvent.setup>, email: string) {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), PASSWORD);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("/oidc/login, another application's sign-in (live API)", () => {
  it("signed out: names the application, signs in with the password, and sends the browser on with a code", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const request = await startSignInRequest();
    expect(request.path).toBe(`/oidc/login?uid=${request.uid}`);
    const app = renderApp(request.path, { api: account.connection(false) });
    app.render();
    await wantsYou();
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeTruthy();
    await passwordStep(user, account.email);
    await expectCodeFor(request, await sentTo());
    // The web app is signed in too, and stayed on this page (no route guard moved it).
    expect(app.store.get()?.accessToken).toBeTruthy();
    expect(app.router.state.location.pathname).toBe("/oidc/login");
  });

  it("signed out with an authenticator app: password, then the code, then on to the application", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const totp = await enrolTotp(account.client, PASSWORD);
    const request = await startSignInRequest();
    renderApp(request.path, { api: account.connection(false) }).render();
    await wantsYou();
    await passwordStep(user, account.email);
    await screen.findByRole("heading", { name: "Confirm it's you" });
    // The password alone completes nothing.
    expect(screen.queryByRole("link", { name: "Continue to Clinic Notes" })).toBeNull();
    const step = screen.getByRole("form", { name: "Second step" });
    await user.type(within(step).getByLabelText("Code from your authenticator app"), totp.app.code(1));
    await user.click(within(step).getByRole("button", { name: "Verify" }));
    await expectCodeFor(request, await sentTo());
  });

  it("a live session is not asked again: the page completes at once", async () => {
    const account = await newAccount();
    const request = await startSignInRequest();
    renderApp(request.path, { api: account.connection(true) }).render();
    await expectCodeFor(request, await sentTo());
    expect(screen.queryByLabelText("Password")).toBeNull();
  });

  it("an expired access token with a live session is renewed, not asked for a password", async () => {
    const account = await newAccount();
    const request = await startSignInRequest();
    const app = renderApp(request.path, { api: { ...account.connection(true), tokens: { ...account.tokens, accessToken: "expired" } } });
    app.render();
    await expectCodeFor(request, await sentTo());
    expect(screen.queryByLabelText("Password")).toBeNull();
    expect(app.store.get()?.accessToken).not.toBe("expired");
  });

  it("a session that ended elsewhere shows the sign-in form", async () => {
    const account = await newAccount();
    await account.client.auth.logout.mutate({ allSessions: true });
    const request = await startSignInRequest();
    const app = renderApp(request.path, { api: account.connection(true) });
    app.render();
    await wantsYou();
    await waitFor(() => expect(app.store.get()).toBeNull());
  });

  it("prompt=login asks a signed-in user to sign in again, saying why, then completes", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const request = await startSignInRequest({ prompt: "login" });
    const app = renderApp(request.path, { api: account.connection(true) });
    app.render();
    await wantsYou();
    expect(screen.getByRole("status").textContent).toBe("For your safety, this application asks you to sign in again.");
    // Nothing was completed with the old session.
    const stale = await account.client.oidc.interaction.complete.mutate({ uid: request.uid }).catch((error: unknown) => error);
    expect(stale).toMatchObject({ data: { code: "FORBIDDEN", reason: "FRESH_SIGN_IN_REQUIRED" } });
    // The provider counts in whole seconds: the new sign-in must fall in a later second than the request.
    const startedSecond = Math.floor(Date.now() / 1000);
    await waitFor(() => expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(startedSecond), { timeout: 2000 });
    await passwordStep(user, account.email);
    await expectCodeFor(request, await sentTo());
    expect(app.store.get()?.accessToken).not.toBe(account.tokens.accessToken);
  });

  it("prompt=login with an expired access token: complete refuses the renewed session, the form asks again, then completes", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const request = await startSignInRequest({ prompt: "login" });
    const app = renderApp(request.path, { api: { ...account.connection(true), tokens: { ...account.tokens, accessToken: "expired" } } });
    app.render();
    // `get` cannot tell (the token is stale), so `complete` runs, renews the pair, and is refused as too old.
    await waitFor(
      () => expect(screen.getByRole("status").textContent).toBe("For your safety, this application asks you to sign in again."),
      {
        timeout: 10_000,
      },
    );
    await wantsYou();
    const startedSecond = Math.floor(Date.now() / 1000);
    await waitFor(() => expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(startedSecond), { timeout: 2000 });
    await passwordStep(user, account.email);
    await expectCodeFor(request, await sentTo());
  });

  it("an unknown or used request says it expired and to start again from the application", async () => {
    const account = await newAccount();
    renderApp("/oidc/login?uid=no-such-request", { api: account.connection(true) }).render();
    await screen.findByRole("heading", { name: "This sign-in request has expired" });
    expect(screen.getByText("Go back to the application you came from and start signing in there again.")).toBeTruthy();
    expect(screen.queryByLabelText("Password")).toBeNull();
  });

  it("without a uid the link is said to be incomplete", async () => {
    const account = await newAccount();
    renderApp("/oidc/login", { api: account.connection(false) }).render();
    await screen.findByRole("heading", { name: "This sign-in link is incomplete" });
  });

  it("an account that may not sign in (locked) is told so, and no code is issued", async () => {
    const account = await newAccount();
    // 20 wrong passwords from elsewhere lock the account; its live session stays, but may not sign in to applications.
    const { trpcUrl } = inject("liveApi");
    for (let attempt = 0; attempt < 20; attempt++) {
      const headers = callerHeaders();
      const stranger = createClient({ url: trpcUrl, headers: () => headers });
      await stranger.auth.login.mutate({ email: account.email, password: "not-the-password" }).catch(() => undefined);
    }
    const request = await startSignInRequest();
    renderApp(request.path, { api: account.connection(true) }).render();
    await screen.findByRole("heading", { name: "You cannot sign in to Clinic Notes" });
    expect(screen.getByRole("alert").textContent).toMatch(/may not sign in to other applications/);
    await waitFor(() => expect(screen.queryByRole("link", { name: "Continue to Clinic Notes" })).toBeNull());
  });
});
