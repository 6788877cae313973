import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { NOT_ADMIN_MESSAGE } from "../src/api";
import { adminUser, renderAdmin } from "./render-app";

describe("admin access", () => {
  it("a stored session of a non-admin is turned away to sign-in with the reason, and its tokens dropped", async () => {
    const app = renderAdmin("/users", { me: adminUser({ isAdmin: false }) });
    app.render();
    await screen.findByRole("heading", { name: "Admin sign-in" });
    expect(screen.getByRole("alert").textContent).toBe(NOT_ADMIN_MESSAGE);
    expect(app.store.get()).toBeNull();
    expect(app.router.state.location.pathname).toBe("/sign-in");
  });

  it("an admin at / lands on the users list, with the section marked current", async () => {
    const app = renderAdmin("/");
    app.render();
    await screen.findByRole("heading", { name: "Users" });
    expect(app.router.state.location.pathname).toBe("/users");
    expect(screen.getByRole("link", { name: "Users" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Audit log" }).hasAttribute("aria-current")).toBe(false);
  });
});
