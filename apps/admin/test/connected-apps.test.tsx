import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, inject, it } from "vitest";

import { createClient, errorCode, errorReason, isMfaChallenge } from "@voiceassist/client";

import { callerHeaders, liveApi, signInAdmin } from "./live-api";
import { renderAdmin } from "./render-app";

type Admin = Awaited<ReturnType<typeof signInAdmin>>;

function openPanel(path: string, admin: Admin) {
  const app = renderAdmin(path, { api: { url: liveApi().trpcUrl, headers: admin.headers, tokens: admin.tokens } });
  app.render();
  return app;
}

const unique = (label: string) => `${label} ${crypto.randomUUID().slice(0, 6)}`;

/** The field's error line: the one its aria-describedby names. */
function errorOf(field: HTMLElement) {
  const ids = field.getAttribute("aria-describedby")?.split(" ") ?? [];
  return ids.map((id) => document.getElementById(id)).find((node) => node?.className === "field-error")?.textContent ?? null;
}

async function clientByName(admin: Admin, name: string) {
  return (await admin.client.oidc.clients.list.query()).find((client) => client.name === name);
}

// The tests share one server and run in order: the first sees no app yet (no other test file connects one).
describe("connected apps", () => {
  it("with none connected, says what a connected app is", async () => {
    const admin = await signInAdmin();
    expect(await admin.client.oidc.clients.list.query()).toEqual([]);
    openPanel("/connected-apps", admin);
    await screen.findByText("No app is connected yet.", {}, { timeout: 10_000 });
    expect(screen.getByText(/give its client ID, secret and the discovery URL to Nextcloud's/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Connected apps" }).getAttribute("aria-current")).toBe("page");
    // The discovery URL follows the build's API origin (here the default API URL) when it names no issuer.
    expect(screen.getByText("http://localhost:8000/oidc/.well-known/openid-configuration")).toBeTruthy();
  });

  it("connects an app: the secret is shown once, then the list has it and the secret is gone for good", async () => {
    const user = userEvent.setup();
    const admin = await signInAdmin();
    openPanel("/connected-apps", admin);
    const name = unique("Nextcloud");
    await user.click(await screen.findByRole("button", { name: "Connect an app…" }, { timeout: 10_000 }));
    const form = screen.getByRole("form", { name: "Connect an app" });
    await user.type(within(form).getByLabelText("Name"), name);
    await user.click(within(form).getByLabelText("Redirect URIs"));
    await user.paste("https://cloud.example.org/apps/user_oidc/code\n\n  https://cloud2.example.org/apps/user_oidc/code  ");
    await user.type(
      within(form).getByLabelText("Back-channel logout URI (optional)"),
      "https://cloud.example.org/apps/user_oidc/backchannel-logout/va",
    );
    await user.click(within(form).getByRole("button", { name: "Connect app" }));

    const panel = await screen.findByRole("region", { name: `${name} is connected` });
    expect(document.activeElement?.textContent).toBe(`${name} is connected`);
    expect(within(panel).getByText(/Store the secret now: it will not be shown again/)).toBeTruthy();
    const stored = await clientByName(admin, name);
    expect(stored).toMatchObject({
      redirectUris: ["https://cloud.example.org/apps/user_oidc/code", "https://cloud2.example.org/apps/user_oidc/code"],
      postLogoutRedirectUris: [],
      backchannelLogoutUri: "https://cloud.example.org/apps/user_oidc/backchannel-logout/va",
    });
    within(panel).getByText(stored?.clientId ?? "missing");
    const secret = within(panel).getByTestId("client-secret").textContent ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const label of ["Copy client ID", "Copy client secret", "Copy discovery URL"])
      expect(within(panel).getByRole("button", { name: label })).toBeTruthy();

    // The list has it, with its id and URIs.
    const table = await screen.findByRole("table");
    const row = within(table).getByRole("link", { name }).closest("tr") as HTMLElement;
    expect(within(row).getByText(stored?.clientId ?? "missing")).toBeTruthy();
    expect(within(row).getByText("https://cloud2.example.org/apps/user_oidc/code")).toBeTruthy();
    expect(within(row).getByText("https://cloud.example.org/apps/user_oidc/backchannel-logout/va")).toBeTruthy();

    // Away and back: the secret is nowhere on the page.
    await user.click(screen.getByRole("link", { name: "Users" }));
    await screen.findByRole("heading", { name: "Users" });
    await user.click(screen.getByRole("link", { name: "Connected apps" }));
    await screen.findByRole("link", { name });
    expect(document.body.textContent).not.toContain(secret);
    expect(screen.queryByRole("region", { name: `${name} is connected` })).toBeNull();
    expect((await admin.client.audit.list.query({ action: "admin.oidc_client.create" })).total).toBeGreaterThan(0);
  });

  it("shows the server's refusal of a bad URI next to its field, and connects nothing", async () => {
    const user = userEvent.setup();
    const admin = await signInAdmin();
    openPanel("/connected-apps", admin);
    const before = (await admin.client.oidc.clients.list.query()).length;
    await user.click(await screen.findByRole("button", { name: "Connect an app…" }, { timeout: 10_000 }));
    const form = screen.getByRole("form", { name: "Connect an app" });
    await user.type(within(form).getByLabelText("Name"), unique("Bad"));

    // No redirect URI at all: said before any call.
    await user.click(within(form).getByRole("button", { name: "Connect app" }));
    const redirects = within(form).getByLabelText("Redirect URIs");
    await waitFor(() => expect(errorOf(redirects)).toBe("Give at least one redirect URI."));

    await user.click(redirects);
    await user.paste("https://ok.example.org/cb\nftp://files.example.org/cb");
    await user.type(within(form).getByLabelText("Back-channel logout URI (optional)"), "https://ok.example.org/logout#here");
    await user.click(within(form).getByRole("button", { name: "Connect app" }));
    await waitFor(() => expect(errorOf(redirects)).toBe("Must be an http:// or https:// URL"));
    expect(redirects.getAttribute("aria-invalid")).toBe("true");
    expect(errorOf(within(form).getByLabelText("Back-channel logout URI (optional)"))).toBe("Must not contain a fragment (#)");
    expect(within(form).getByRole("alert").textContent).toContain("Please correct the highlighted fields.");
    // Nothing typed is lost.
    expect((redirects as HTMLTextAreaElement).value).toBe("https://ok.example.org/cb\nftp://files.example.org/cb");
    expect(await admin.client.oidc.clients.list.query()).toHaveLength(before);
  });

  it("edits an app's name and URIs, sending only what changed", async () => {
    const user = userEvent.setup();
    const admin = await signInAdmin();
    const name = unique("Wiki");
    const created = await admin.client.oidc.clients.create.mutate({
      name,
      redirectUris: ["https://wiki.example.org/cb"],
      backchannelLogoutUri: "https://wiki.example.org/logout",
    });
    openPanel(`/connected-apps/${created.clientId}`, admin);
    const form = await screen.findByRole("form", { name: "Edit app" }, { timeout: 10_000 });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain(name);

    await user.click(within(form).getByRole("button", { name: "Save changes" }));
    await screen.findByText("No changes to save.");

    const redirects = within(form).getByLabelText("Redirect URIs");
    await user.clear(redirects);
    await user.click(redirects);
    await user.paste("https://wiki.example.org/callback\nhttps://wiki.example.org/cb2");
    await user.click(within(form).getByLabelText("Post-logout redirect URIs (optional)"));
    await user.paste("https://wiki.example.org/");
    await user.clear(within(form).getByLabelText("Back-channel logout URI (optional)"));
    await user.click(within(form).getByRole("button", { name: "Save changes" }));
    await screen.findByText("Changes saved.");

    const stored = await clientByName(admin, name);
    expect(stored).toMatchObject({
      redirectUris: ["https://wiki.example.org/callback", "https://wiki.example.org/cb2"],
      postLogoutRedirectUris: ["https://wiki.example.org/"],
      backchannelLogoutUri: null,
    });
    const events = await admin.client.audit.list.query({ action: "admin.oidc_client.update" });
    const event = events.items.find((item) => (item.detail as { clientId?: string } | null)?.clientId === created.clientId);
    expect((event?.detail as { fields?: string[] } | undefined)?.fields?.sort()).toEqual([
      "backchannelLogoutUri",
      "postLogoutRedirectUris",
      "redirectUris",
    ]);
    // The form follows the saved values.
    await waitFor(() =>
      expect(
        (within(screen.getByRole("form", { name: "Edit app" })).getByLabelText("Back-channel logout URI (optional)") as HTMLInputElement)
          .value,
      ).toBe(""),
    );
  });

  it("rotates the secret behind a confirmation: a new secret, shown once", async () => {
    const user = userEvent.setup();
    const admin = await signInAdmin();
    const name = unique("Rotating");
    const created = await admin.client.oidc.clients.create.mutate({ name, redirectUris: ["https://rot.example.org/cb"] });
    openPanel(`/connected-apps/${created.clientId}`, admin);
    const card = await screen.findByRole("region", { name: "Client secret" }, { timeout: 10_000 });

    await user.click(within(card).getByRole("button", { name: "Rotate secret…" }));
    expect(document.activeElement?.textContent).toBe(`Give ${name} a new secret?`);
    expect(within(card).getByText(/The current secret stops working at once/)).toBeTruthy();
    await user.click(within(card).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Rotate secret…"));
    expect((await clientByName(admin, name))?.secretRotatedAt).toEqual(created.secretRotatedAt);

    await user.click(within(card).getByRole("button", { name: "Rotate secret…" }));
    await user.click(within(card).getByRole("button", { name: "Yes, rotate the secret" }));
    const panel = await screen.findByRole("region", { name: `New secret for ${name}` });
    const secret = within(panel).getByTestId("client-secret").textContent ?? "";
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toBe(created.clientSecret);
    expect((await clientByName(admin, name))?.secretRotatedAt.getTime()).toBeGreaterThan(created.secretRotatedAt.getTime());

    await user.click(within(panel).getByRole("button", { name: "I have stored the secret" }));
    await screen.findByRole("region", { name: "Client secret" });
    expect(document.body.textContent).not.toContain(secret);
  });

  it("removes an app behind a confirmation that names it, back to the list", async () => {
    const user = userEvent.setup();
    const admin = await signInAdmin();
    const name = unique("Leaving");
    const created = await admin.client.oidc.clients.create.mutate({ name, redirectUris: ["https://gone.example.org/cb"] });
    openPanel(`/connected-apps/${created.clientId}`, admin);
    const card = await screen.findByRole("region", { name: "Remove app" }, { timeout: 10_000 });
    await user.click(within(card).getByRole("button", { name: "Remove app…" }));
    expect(document.activeElement?.textContent).toBe(`Remove ${name}?`);
    expect(within(card).getByText(/people can no longer sign in to this app with their VoiceAssist account/)).toBeTruthy();
    await user.click(within(card).getByRole("button", { name: `Yes, remove ${name}` }));

    await screen.findByText(`${name} was removed: it can no longer sign anyone in.`);
    await screen.findByRole("heading", { name: "Connected apps" });
    expect(await clientByName(admin, name)).toBeUndefined();
    await waitFor(() => expect(screen.queryByRole("link", { name })).toBeNull());
    const events = await admin.client.audit.list.query({ action: "admin.oidc_client.delete" });
    expect(events.items.some((item) => (item.detail as { clientId?: string } | null)?.clientId === created.clientId)).toBe(true);
  });

  it("under MFA_REQUIRED_FOR_ADMINS, an admin signed in with a password alone meets the enrolment page, and no client call answers", async () => {
    // The third admin of the strict server (test/global-setup.ts); mfa-required.test.tsx takes the first two.
    const { trpcUrl, admins } = inject("mfaRequiredApi");
    const account = admins[2];
    if (!account) throw new Error("global setup made no third strict admin");
    const headers = callerHeaders();
    const tokens = await createClient({ url: trpcUrl, headers: () => headers }).auth.login.mutate(account);
    if (isMfaChallenge(tokens)) throw new Error("this admin must not have a second factor");
    const client = createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken });
    const refused = await client.oidc.clients.create.mutate({ name: "Sneaky", redirectUris: ["https://x.example.org/cb"] }).then(
      () => "OK",
      (error: unknown) => `${errorCode(error)}/${errorReason(error)}`,
    );
    expect(refused).toBe("FORBIDDEN/MFA_REQUIRED");

    const app = renderAdmin("/connected-apps", { api: { url: trpcUrl, headers, tokens } });
    app.render();
    await screen.findByRole("heading", { name: "Your clinic requires a second factor for administrators" }, { timeout: 10_000 });
    expect(screen.queryByRole("heading", { name: "Connected apps" })).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
