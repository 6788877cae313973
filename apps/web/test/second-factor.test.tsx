import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";

import { createClient } from "@voiceassist/client";
import { enrolTotp } from "@voiceassist/testing/totp";
import { CHALLENGE_ENDED } from "@voiceassist/ui";

import { newAccount, PASSWORD } from "./live-api";
import { renderApp } from "./render-app";

/** An account with an authenticator app, and the app signed out at /sign-in on the real API. */
async function signedOutWithTotp() {
  const account = await newAccount();
  const totp = await enrolTotp(account.client, PASSWORD);
  const app = renderApp("/sign-in", { api: account.connection(false) });
  return { account, totp, app };
}

async function passwordStep(user: ReturnType<typeof userEvent.setup>, email: string) {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), PASSWORD);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByRole("heading", { name: "Confirm it's you" });
}

describe("web sign-in, second step (live API)", () => {
  it("the password alone keeps nothing; a wrong code is said to be wrong, the app's code signs in", async () => {
    const user = userEvent.setup();
    const { account, totp, app } = await signedOutWithTotp();
    app.render();
    await passwordStep(user, account.email);
    expect(app.store.get()).toBeNull();
    // The account has no passkey: none is offered.
    expect(screen.queryByRole("button", { name: "Use a passkey" })).toBeNull();

    const step = screen.getByRole("form", { name: "Second step" });
    await user.type(within(step).getByLabelText("Code from your authenticator app"), "000000");
    await user.click(within(step).getByRole("button", { name: "Verify" }));
    const alert = await within(step).findByRole("alert");
    expect(alert.textContent).toBe("That code is not right, or it was already used. Check it and try again.");
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(app.store.get()).toBeNull();

    const field = within(step).getByLabelText("Code from your authenticator app");
    await user.clear(field);
    await user.type(field, totp.app.code(1));
    await user.click(within(step).getByRole("button", { name: "Verify" }));
    await screen.findByRole("heading", { name: "Your profile" });
    expect(app.store.get()?.accessToken).toBeTruthy();
  });

  it("a backup code signs in and is used up; the switch offers the app again", async () => {
    const user = userEvent.setup();
    const { account, totp, app } = await signedOutWithTotp();
    app.render();
    await passwordStep(user, account.email);
    await user.click(screen.getByRole("button", { name: "Use a backup code" }));
    expect(screen.queryByLabelText("Code from your authenticator app")).toBeNull();
    expect(screen.getByRole("button", { name: "Use the authenticator app instead" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Backup code"));
    await user.type(screen.getByLabelText("Backup code"), totp.backupCodes[0] ?? "");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    await screen.findByRole("heading", { name: "Your profile" });
    const status = await account.client.mfa.status.query();
    expect(status.backupCodesRemaining).toBe(9);
  });

  it("five wrong codes end the challenge: back to the password, saying why, with the email kept", async () => {
    const user = userEvent.setup();
    const { account, app } = await signedOutWithTotp();
    app.render();
    await passwordStep(user, account.email);
    const step = screen.getByRole("form", { name: "Second step" });
    // Five wrong answers kill the challenge; the sixth finds it gone.
    for (let attempt = 0; attempt < 6 && screen.queryByRole("form", { name: "Second step" }); attempt++) {
      const field = within(step).getByLabelText("Code from your authenticator app");
      await user.clear(field);
      await user.type(field, `00000${attempt}`);
      await user.click(within(step).getByRole("button", { name: "Verify" }));
      await waitFor(() => expect(within(step).queryByRole("button", { name: "Checking…" })).toBeNull());
    }
    await screen.findByRole("heading", { name: "Sign in" });
    expect(screen.getByRole("status").textContent).toBe(CHALLENGE_ENDED);
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe(account.email);
    expect(app.store.get()).toBeNull();
  });

  it("a rate-limited second step counts down and holds the button", async () => {
    const user = userEvent.setup();
    const { account, app } = await signedOutWithTotp();
    // This address spends its second-step budget (10 a minute) before the person types anything.
    const sameAddress = createClient({ url: inject("liveApi").trpcUrl, headers: () => account.headers });
    for (let spent = 0; spent < 10; spent++) {
      await sameAddress.auth.mfa.verify.mutate({ challengeToken: "not-a-challenge", totpCode: "000000" }).catch(() => undefined);
    }
    app.render();
    await passwordStep(user, account.email);
    await user.type(screen.getByLabelText("Code from your authenticator app"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
    expect(screen.getByRole("button", { name: "Verify" }).hasAttribute("disabled")).toBe(true);
  });

  it("cancel goes back to the password step", async () => {
    const user = userEvent.setup();
    const { account, app } = await signedOutWithTotp();
    app.render();
    await passwordStep(user, account.email);
    await user.click(screen.getByRole("button", { name: "Cancel and start again" }));
    await screen.findByRole("heading", { name: "Sign in" });
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("'Sign in with a passkey' in a browser without WebAuthn says so, and keeps nothing", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const app = renderApp("/sign-in", { api: account.connection(false) });
    app.render();
    await user.click(await screen.findByRole("button", { name: "Sign in with a passkey" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "This browser cannot use passkeys. Use another sign-in method or another browser.",
    );
    expect(app.store.get()).toBeNull();
  });
});
