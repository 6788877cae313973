import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderApp } from "./render-app";

const TOKENS = { accessToken: "access", refreshToken: "refresh" };

describe("web routes follow the session", () => {
  it("a signed-out visit to /profile lands on sign-in", async () => {
    const app = renderApp("/profile");
    app.render();
    await screen.findByRole("heading", { name: "Sign in" });
    expect(app.router.state.location.pathname).toBe("/sign-in");
    expect(document.title).toBe("Sign in · VoiceAssist");
  });

  it("a signed-in visit to / or /sign-in lands on the profile, showing the cached user", async () => {
    for (const path of ["/", "/sign-in"]) {
      const app = renderApp(path, { tokens: TOKENS });
      app.seed.me({ fullName: "Ada Lovelace" });
      const { unmount } = app.render();
      await screen.findByRole("heading", { name: "Your profile" });
      expect(app.router.state.location.pathname).toBe("/profile");
      expect(screen.getByText("Ada Lovelace")).toBeTruthy();
      unmount();
    }
  });

  it("when the tokens go (another tab signed out, or the session expired) the profile gives way to sign-in", async () => {
    const app = renderApp("/profile", { tokens: TOKENS });
    app.seed.me();
    app.render();
    await screen.findByRole("heading", { name: "Your profile" });
    app.store.clear();
    await screen.findByRole("heading", { name: "Sign in" });
    expect(app.router.state.location.pathname).toBe("/sign-in");
    // And the last account's data is gone from the cache.
    expect(app.queryClient.getQueryData(app.trpc.users.me.queryKey())).toBeUndefined();
  });

  it("an unknown address says so", async () => {
    renderApp("/no-such-page").render();
    await screen.findByRole("heading", { name: "Page not found" });
  });
});
