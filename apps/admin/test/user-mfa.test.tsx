import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createClient, errorCode } from "@voiceassist/client";

import { callerHeaders, liveApi, registerUser, signInAdmin, signInUser } from "./live-api";
import { renderAdmin } from "./render-app";

/** A user with an authenticator app, one passkey and one live session (test/global-setup.ts); `index` picks which. */
function userWithFactors(index: number) {
  const target = liveApi().usersWithFactors[index];
  if (!target) throw new Error(`global setup made no user with factors #${index}`);
  const headers = callerHeaders();
  const client = createClient({ url: liveApi().trpcUrl, headers: () => headers, getAccessToken: () => target.accessToken });
  return { target, me: { client } };
}

async function openUserPage(id: string, admin: Awaited<ReturnType<typeof signInAdmin>>) {
  const app = renderAdmin(`/users/${id}`, { api: { url: liveApi().trpcUrl, headers: admin.headers, tokens: admin.tokens } });
  app.render();
  return { app, card: await screen.findByRole("region", { name: "Second factors" }, { timeout: 10_000 }) };
}

describe("second factors on the user page", () => {
  it("shows the user's factors, and a confirmed reset removes them, ends their sessions and updates the page", async () => {
    const user = userEvent.setup();
    const { target, me } = userWithFactors(0);
    const admin = await signInAdmin();
    const { card } = await openUserPage(target.id, admin);

    const summary = () => screen.getByText("Second factors", { selector: "dt" }).nextElementSibling?.textContent;
    expect(summary()).toBe("Authenticator app, 1 passkey");
    expect(within(card).getByText("Authenticator app").nextElementSibling?.textContent).toBe("On");
    expect(within(card).getByText(/Clinic laptop/)).toBeTruthy();
    expect(within(card).getByText("Backup codes left").nextElementSibling?.textContent).toBe("10");
    const sessions = screen.getByRole("region", { name: "Sessions" });
    await within(sessions).findByRole("table", {}, { timeout: 10_000 });
    expect(within(sessions).getAllByRole("row")).toHaveLength(2); // header + the user's one session

    // Cancel puts focus back on the button and changes nothing.
    const opener = within(card).getByRole("button", { name: "Reset second factors…" });
    await user.click(opener);
    const question = within(card).getByText(/Reset the second factors of/);
    expect(document.activeElement).toBe(question);
    expect(
      within(card).getByText(/This removes their authenticator app, 1 passkey, and 10 backup codes and signs them out everywhere/),
    ).toBeTruthy();
    await user.click(within(card).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Reset second factors…"));
    expect((await admin.client.users.byId.query({ id: target.id })).mfa.totp).toBe(true);

    await user.click(within(card).getByRole("button", { name: "Reset second factors…" }));
    await user.click(within(card).getByRole("button", { name: "Yes, reset second factors" }));
    await screen.findByText(/Second factors reset: every session of the user has ended and they were told by mail/);

    // Stored: no factor left, the user's session is dead; the page follows.
    expect((await admin.client.users.byId.query({ id: target.id })).mfa).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    expect(await me.client.auth.me.query().then(() => "OK", errorCode)).toBe("UNAUTHORIZED");
    await within(card).findByText("This user has no second factor: they sign in with their password alone.");
    expect(summary()).toBe("None");
    expect(within(card).getByText("Passkeys").nextElementSibling?.textContent).toBe("None");
    await within(sessions).findByText("Not signed in anywhere.");
    const events = await admin.client.audit.list.query({ userId: target.id, action: "admin.user.reset_mfa" });
    expect(events.total).toBe(1);
  });

  it("a refused reset is explained and changes nothing", async () => {
    const user = userEvent.setup();
    const { target } = userWithFactors(1);
    // An admin of its own, demoted while the page is open: the server refuses the reset.
    const operator = await registerUser("Otto Operator");
    const root = await signInAdmin();
    await root.client.users.update.mutate({ id: operator.id, isAdmin: true });
    const admin = await signInUser(operator.email);
    const { card } = await openUserPage(target.id, admin);
    await user.click(within(card).getByRole("button", { name: "Reset second factors…" }));
    await root.client.users.update.mutate({ id: operator.id, isAdmin: false });
    await user.click(within(card).getByRole("button", { name: "Yes, reset second factors" }));

    expect((await within(card).findByRole("alert")).textContent).toMatch(/admin/i);
    expect((await root.client.users.byId.query({ id: target.id })).mfa.totp).toBe(true);
  });

  it("on the admin's own page: no reset button, but the Security page and the command for a locked-out admin", async () => {
    const admin = await signInAdmin();
    const { card } = await openUserPage(admin.tokens.user.id, admin);
    expect(within(card).queryByRole("button", { name: /Reset second factors/ })).toBeNull();
    expect(within(card).getByRole("link", { name: "Security page" }).getAttribute("href")).toBe("http://localhost:3000/security");
    expect(within(card).getByText(`npm run admin:reset-mfa -- --email ${liveApi().adminEmail}`)).toBeTruthy();
  });

  it("Sign out everywhere ends every session of the user", async () => {
    const user = userEvent.setup();
    const target = await registerUser("Sam Sessions");
    const [one, two] = [await signInUser(target.email), await signInUser(target.email)];
    const admin = await signInAdmin();
    await openUserPage(target.id, admin);
    const sessions = screen.getByRole("region", { name: "Sessions" });
    await waitFor(() => expect(within(sessions).getAllByRole("row")).toHaveLength(3), { timeout: 10_000 });
    await user.click(within(sessions).getByRole("button", { name: "Sign out everywhere" }));
    await screen.findByText("Signed out everywhere: 2 sessions ended.");
    await within(sessions).findByText("Not signed in anywhere.");
    for (const session of [one, two]) expect(await session.client.auth.me.query().then(() => "OK", errorCode)).toBe("UNAUTHORIZED");
    expect((within(sessions).getByRole("button", { name: "Sign out everywhere" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
