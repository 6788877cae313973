import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { renderApp } from "./render-app";

describe("web forms", () => {
  it("sign-in with the API unreachable: the alert says so and takes focus; nothing is stored", async () => {
    const user = userEvent.setup();
    const app = renderApp("/sign-in");
    app.render();
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "secret-password-1");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Cannot reach the server. Check your connection and try again.");
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(app.store.get()).toBeNull();
  });

  it("the sign-up link goes to the sign-up form", async () => {
    const user = userEvent.setup();
    const app = renderApp("/sign-in");
    app.render();
    await user.click(await screen.findByRole("link", { name: "Create an account" }));
    await screen.findByRole("heading", { name: "Create your account" });
    expect(app.router.state.location.pathname).toBe("/sign-up");
  });

  it("change password: a mismatch is shown next to the confirmation, which takes focus, and nothing is sent", async () => {
    const user = userEvent.setup();
    const app = renderApp("/profile", { tokens: { accessToken: "a", refreshToken: "r" } });
    app.seed.me();
    app.render();
    const form = await screen.findByRole("form", { name: "Change password" });
    const confirm = within(form).getByLabelText("Confirm new password");
    await user.type(within(form).getByLabelText("Current password"), "old-password-1");
    await user.type(within(form).getByLabelText("New password"), "new-password-2");
    await user.type(confirm, "new-password-3");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(confirm.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(confirm.getAttribute("aria-describedby") ?? "")?.textContent).toBe("The passwords do not match.");
    // No call was made, so no network error is shown.
    expect(form.querySelector('[role="alert"]')).toBeNull();
  });

  it("sign out forgets the session even when the server cannot be told, and says so on sign-in", async () => {
    const user = userEvent.setup();
    const app = renderApp("/profile", { tokens: { accessToken: "a", refreshToken: "r" } });
    app.seed.me();
    app.render();
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    await screen.findByRole("heading", { name: "Sign in" });
    expect((await screen.findByRole("status")).textContent).toBe("You have been signed out.");
    expect(app.store.get()).toBeNull();
  });

  it("reset password: the token comes from the fragment; a mismatch is caught before it is sent", async () => {
    const user = userEvent.setup();
    const app = renderApp("/reset-password#token=abc");
    app.render();
    await screen.findByRole("heading", { name: "Choose a new password" });
    const confirm = screen.getByLabelText("Confirm new password");
    await user.type(screen.getByLabelText("New password"), "new-password-2");
    await user.type(confirm, "new-password-3");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("a link page opened without its token says the link is incomplete and shows no form", async () => {
    const app = renderApp("/accept-invite");
    app.render();
    await screen.findByRole("heading", { name: "Accept your invitation" });
    expect(screen.getByRole("alert").textContent).toContain("This link is incomplete");
    expect(screen.queryByLabelText("Password")).toBeNull();
  });

  it("a pending email change is shown with resend and cancel; an unverified address offers a new link", async () => {
    const app = renderApp("/profile", { tokens: { accessToken: "a", refreshToken: "r" } });
    app.seed.me({ pendingEmail: "ada@new.example.com", emailVerifiedAt: null });
    app.render();
    await screen.findByText("ada@new.example.com");
    screen.getByRole("button", { name: "Resend confirmation" });
    screen.getByRole("button", { name: "Cancel change" });
    screen.getByRole("button", { name: "Resend verification" });
    screen.getByRole("form", { name: "Change email" });
  });
});
