import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createClient, errorCode, isMfaChallenge } from "@voiceassist/client";
import { authenticatorApp, enrolTotp } from "@voiceassist/testing/totp";
import { createSoftAuthenticator } from "@voiceassist/testing/webauthn";

import { callerHeaders, newAccount, PASSWORD } from "./live-api";
import { renderApp } from "./render-app";

/** The API's default WEBAUTHN_ORIGINS include the web app's dev origin. */
const ORIGIN = "http://localhost:3000";

/** A second sign-in of the same account, elsewhere: its client, to see whether it still lives. */
async function otherDevice(email: string, url: string) {
  const headers = callerHeaders();
  const result = await createClient({ url, headers: () => headers }).auth.login.mutate({ email, password: PASSWORD });
  if (isMfaChallenge(result)) throw new Error("expected no second factor");
  return createClient({ url, headers: () => headers, getAccessToken: () => result.accessToken });
}

const stillSignedIn = (client: Awaited<ReturnType<typeof otherDevice>>) =>
  client.auth.me.query().then(
    () => true,
    (error: unknown) => (errorCode(error) === "UNAUTHORIZED" ? false : Promise.reject(error)),
  );

describe("web Security page (live API)", () => {
  it("sets up the authenticator app: password, key, first code, backup codes shown once; other sessions end", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const elsewhere = await otherDevice(account.email, account.connection(true).url);
    const app = renderApp("/security", { api: account.connection(true) });
    app.render();
    await user.click(await screen.findByRole("button", { name: "Set up an authenticator app" }));
    const passwordForm = screen.getByRole("form", { name: "Confirm your password" });
    await user.type(within(passwordForm).getByLabelText("Current password"), "not-the-password");
    await user.click(within(passwordForm).getByRole("button", { name: "Continue" }));
    expect((await within(passwordForm).findByRole("alert")).textContent).toBe("Current password is incorrect");
    await user.clear(within(passwordForm).getByLabelText("Current password"));
    await user.type(within(passwordForm).getByLabelText("Current password"), PASSWORD);
    await user.click(within(passwordForm).getByRole("button", { name: "Continue" }));

    const qr = await screen.findByRole("img", { name: /QR code/ });
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    expect(screen.getByRole("link", { name: "open in your authenticator app" }).getAttribute("href")).toMatch(/^otpauth:\/\/totp\//);
    const key = document.querySelector("code.secret")?.textContent ?? "";
    const confirmForm = screen.getByRole("form", { name: "Confirm the authenticator app" });
    await user.type(within(confirmForm).getByLabelText("Code from the app"), "000000");
    await user.click(within(confirmForm).getByRole("button", { name: "Turn on" }));
    expect((await within(confirmForm).findByRole("alert")).textContent).toBe("Invalid or already used code");
    await user.clear(within(confirmForm).getByLabelText("Code from the app"));
    await user.type(within(confirmForm).getByLabelText("Code from the app"), authenticatorApp(key).code());
    await user.click(within(confirmForm).getByRole("button", { name: "Turn on" }));

    const codes = await screen.findByRole("list", { name: "Backup codes" });
    const shown = within(codes)
      .getAllByRole("listitem")
      .map((item) => item.textContent ?? "");
    expect(shown).toHaveLength(10);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Save your backup codes" })));
    await user.click(screen.getByRole("button", { name: "I have saved them" }));
    await screen.findByText("10 unused backup codes.");
    expect(screen.queryByRole("list", { name: "Backup codes" })).toBeNull();
    expect(screen.getByRole("status").textContent).toBe("The authenticator app is on. Your other sessions were signed out.");

    // What was shown works: one of the codes signs in as a second step.
    const login = await account.anonymous.auth.login.mutate({ email: account.email, password: PASSWORD });
    if (!isMfaChallenge(login)) throw new Error("expected a challenge");
    await account.anonymous.auth.mfa.verify.mutate({ challengeToken: login.challengeToken, backupCode: shown[3] ?? "" });
    // This page's session carried over; the other device's ended.
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect(await account.client.auth.me.query()).toMatchObject({ email: account.email, mfaEnabled: true });
  });

  it("warns at 2 backup codes left; new codes take a current code and are shown once", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const { backupCodes, app: authenticator } = await enrolTotp(account.client, PASSWORD);
    // Eight sign-ins with backup codes leave two.
    for (const code of backupCodes.slice(0, 8)) {
      const headers = callerHeaders();
      const anonymous = createClient({ url: account.connection(true).url, headers: () => headers });
      const login = await anonymous.auth.login.mutate({ email: account.email, password: PASSWORD });
      if (!isMfaChallenge(login)) throw new Error("expected a challenge");
      await anonymous.auth.mfa.verify.mutate({ challengeToken: login.challengeToken, backupCode: code });
    }
    // The profile warns too, and leads to the Security page.
    const app = renderApp("/profile", { api: account.connection(true) });
    app.render();
    expect((await screen.findByText("Only 2 backup codes left.")).closest(".alert-warning")).not.toBeNull();
    await user.click(screen.getByRole("link", { name: "Manage security and sessions" }));
    await screen.findByRole("heading", { name: "Security", level: 1 });
    expect((await screen.findByText("Only 2 backup codes left.")).closest(".alert-warning")).not.toBeNull();

    await user.click(screen.getByRole("button", { name: "Get new backup codes" }));
    const form = screen.getByRole("form", { name: "Get new backup codes" });
    const field = within(form).getByLabelText("Code from your authenticator app, or a backup code");
    await user.type(field, backupCodes[0] ?? "");
    await user.click(within(form).getByRole("button", { name: "Get new codes" }));
    expect((await within(form).findByRole("alert")).textContent).toBe("Invalid or already used code");
    await user.clear(field);
    await user.type(field, authenticator.code(1));
    await user.click(within(form).getByRole("button", { name: "Get new codes" }));
    const fresh = within(await screen.findByRole("list", { name: "Backup codes" })).getAllByRole("listitem");
    expect(fresh).toHaveLength(10);
    await user.click(screen.getByRole("button", { name: "I have saved them" }));
    await screen.findByText("10 unused backup codes.");
    expect(screen.queryByText(/backup codes? left/)).toBeNull();
    // The two left over from the old set no longer count.
    expect((await account.client.mfa.status.query()).backupCodesRemaining).toBe(10);
  });

  it("turns the authenticator app off with a code", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const { app: authenticator } = await enrolTotp(account.client, PASSWORD);
    const app = renderApp("/security", { api: account.connection(true) });
    app.render();
    await user.click(await screen.findByRole("button", { name: "Turn off" }));
    const form = screen.getByRole("form", { name: "Turn off the authenticator app" });
    await user.type(within(form).getByLabelText("Code from your authenticator app, or a backup code"), authenticator.code(1));
    await user.click(within(form).getByRole("button", { name: "Turn off" }));
    await screen.findByRole("button", { name: "Set up an authenticator app" });
    expect((await account.client.mfa.status.query()).totp).toBe(false);
  });

  it("lists sessions with this device marked, and signs out another one", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const elsewhere = await otherDevice(account.email, account.connection(true).url);
    const app = renderApp("/security", { api: account.connection(true) });
    app.render();
    const list = await screen.findByRole("list", { name: "Your sessions" });
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(2));
    const here = within(list)
      .getAllByRole("listitem")
      .find((item) => item.getAttribute("aria-current") === "true");
    expect(here && within(here).getByText("This device")).toBeTruthy();
    expect(here && within(here).queryByRole("button")).toBeNull();

    await user.click(within(list).getByRole("button", { name: /^Sign out / }));
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(1));
    expect(screen.getByRole("status").textContent).toMatch(/^Signed out /);
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect(await stillSignedIn(account.client)).toBe(true);
  });

  it("passkeys: listed by name; removing one takes the password; the last one, without codes, needs a passkey sign-in first", async () => {
    const user = userEvent.setup();
    const account = await newAccount();
    const device = createSoftAuthenticator();
    for (const name of ["Phone", "Laptop"]) {
      const options = await account.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
      await account.client.mfa.passkeys.register.mutate({ response: device.register(options, { origin: ORIGIN }), name });
    }
    const app = renderApp("/security", { api: account.connection(true) });
    app.render();
    const list = await screen.findByRole("list", { name: "Your passkeys" });
    expect(within(list).getByText("Phone")).toBeTruthy();
    expect(within(list).getAllByText(/Last used Never/)).toHaveLength(2);

    await user.click(within(list).getByRole("button", { name: "Remove Phone" }));
    const form = screen.getByRole("form", { name: "Remove Phone" });
    await user.type(within(form).getByLabelText("Current password"), PASSWORD);
    await user.click(within(form).getByRole("button", { name: "Remove passkey" }));
    await screen.findByText("Passkey “Phone” removed. Your other sessions were signed out.");
    await waitFor(() => expect(within(list).queryByText("Phone")).toBeNull());

    // The last factor: no code exists, and this session signed in with the password only.
    await user.click(within(list).getByRole("button", { name: "Remove Laptop" }));
    expect(within(list).getByText(/This is your last passkey\. To remove it, sign out and sign in again with it/)).toBeTruthy();
    expect(within(list).queryByLabelText("Current password")).toBeNull();
    expect((await account.client.mfa.status.query()).passkeys.map((key) => key.name)).toEqual(["Laptop"]);
  });
});
