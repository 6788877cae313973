import { screen, waitFor } from "@testing-library/react";
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
    const confirm = screen.getByLabelText("Confirm new password");
    await user.type(screen.getByLabelText("Current password"), "old-password-1");
    await user.type(screen.getByLabelText("New password"), "new-password-2");
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
});
