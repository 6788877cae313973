import { cleanup, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { inject, describe, expect, it } from "vitest";

import { createClient, errorCode, errorReason, isMfaChallenge } from "@voiceassist/client";

import { callerHeaders, enrolTotp, signInWithTotp } from "./live-api";
import { renderAdmin } from "./render-app";

const TITLE = "Your clinic requires a second factor for administrators";

/** An admin of the MFA_REQUIRED_FOR_ADMINS server, signed in with the password alone. */
async function passwordOnlyAdmin(index: number) {
  const { trpcUrl, admins } = inject("mfaRequiredApi");
  const account = admins[index];
  if (!account) throw new Error(`global setup made no strict admin #${index}`);
  const headers = callerHeaders();
  const result = await createClient({ url: trpcUrl, headers: () => headers }).auth.login.mutate(account);
  if (isMfaChallenge(result)) throw new Error("this admin must not have a second factor yet");
  const tokens = result;
  const client = createClient({ url: trpcUrl, headers: () => headers, getAccessToken: () => tokens.accessToken });
  return { ...account, trpcUrl, headers, tokens, client };
}

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => "OK",
    (error: unknown) => `${errorCode(error)}/${errorReason(error)}`,
  );

describe("an admin without a second factor, under MFA_REQUIRED_FOR_ADMINS", () => {
  it("is led to enrolment instead of an error, signs in again after enrolling, and then the panel works", async () => {
    const user = userEvent.setup();
    const admin = await passwordOnlyAdmin(0);
    expect(await refusal(admin.client.users.list.query({}))).toBe("FORBIDDEN/MFA_REQUIRED");

    const app = renderAdmin("/users", { api: { url: admin.trpcUrl, headers: admin.headers, tokens: admin.tokens } });
    app.render();
    await screen.findByRole("heading", { name: TITLE }, { timeout: 10_000 });
    // No bare error, and no section that would only fail again.
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("link", { name: "Users" })).toBeNull();
    expect(screen.getByText(admin.email, { selector: "strong" })).toBeTruthy();
    const security = screen.getByRole("link", { name: /Security page/ });
    expect(security.getAttribute("href")).toBe("http://localhost:3000/security");
    expect(security.getAttribute("target")).toBe("_blank");
    expect(security.getAttribute("rel")).toContain("noopener");

    // Enrolment (what the Security page does) is open to this password-only session.
    const { secret } = await enrolTotp(admin.client, admin.password);
    await app.queryClient.invalidateQueries({ queryKey: app.trpc.mfa.status.queryKey() });
    await screen.findByText(/Your account has a second factor now/);
    // The session that enrolled did not sign in with the factor: still refused.
    expect(await refusal(admin.client.users.list.query({}))).toBe("FORBIDDEN/MFA_REQUIRED");

    await user.click(screen.getByRole("button", { name: "Sign in again" }));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/sign-in"));
    expect(app.store.get()).toBeNull();
    await screen.findByText("Sign in with your password, then your second factor.");
    cleanup();

    // Password, then a code: the same admin procedures answer.
    const again = await signInWithTotp(admin.trpcUrl, admin.email, admin.password, secret);
    expect((await again.client.users.list.query({})).total).toBeGreaterThan(0);
    expect(await refusal(again.client.audit.list.query({}))).toBe("OK");
    const panel = renderAdmin("/users", { api: { url: admin.trpcUrl, headers: again.headers, tokens: again.tokens } });
    panel.render();
    await screen.findByRole("heading", { name: "Users" }, { timeout: 10_000 });
    await screen.findByRole("cell", { name: admin.email });
    expect(screen.queryByRole("heading", { name: TITLE })).toBeNull();
  });

  it("meets the same page on any admin section, and Sign out leaves for sign-in", async () => {
    const user = userEvent.setup();
    const admin = await passwordOnlyAdmin(1);
    const app = renderAdmin("/audit", { api: { url: admin.trpcUrl, headers: admin.headers, tokens: admin.tokens } });
    app.render();
    await screen.findByRole("heading", { name: TITLE }, { timeout: 10_000 });
    expect(screen.getByRole("list").textContent).toContain("Set up an authenticator app, or add a passkey");
    expect(screen.queryByRole("alert")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/sign-in"));
    expect(app.store.get()).toBeNull();
  });
});
