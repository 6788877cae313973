import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { auditSearch, signInSearch, usersSearch } from "../src/search";
import { adminUser, renderAdmin } from "./render-app";

describe("search params", () => {
  it("keep what fits and drop what does not", () => {
    expect(usersSearch.parse({ search: "  ada ", status: "inactive", offset: 40 })).toEqual({
      search: "ada",
      status: "inactive",
      offset: 40,
    });
    expect(usersSearch.parse({ search: 42, status: "bogus", offset: -5 })).toEqual({ search: "42", status: undefined, offset: undefined });
    expect(usersSearch.parse({ search: "   ", offset: 1.5 })).toEqual({ search: undefined, status: undefined, offset: undefined });
    expect(usersSearch.parse({ offset: "20" })).toEqual({ search: undefined, status: undefined, offset: undefined });
    expect(auditSearch.parse({ userId: ["a"], action: "x".repeat(100), offset: 0 })).toEqual({
      userId: undefined,
      action: "x".repeat(64),
      offset: undefined,
    });
  });

  it("a hand-edited users address loads the normalised page, not a broken one", async () => {
    const app = renderAdmin("/users?status=bogus&offset=-5&search=42");
    // Seeded for exactly the normalised input: search "42", no status filter, first page.
    app.queryClient.setQueryData(app.trpc.users.list.queryKey({ search: "42", isActive: undefined, limit: 20, offset: 0 }), {
      items: [adminUser({ email: "user42@example.com" })],
      total: 1,
      totalIsEstimate: false,
    });
    app.render();
    await screen.findByRole("link", { name: "user42@example.com" });
    expect((screen.getByLabelText("Search email or name") as HTMLInputElement).value).toBe("42");
    expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("all");
  });

  it("a user address whose id is not a uuid is not found, without a call", async () => {
    renderAdmin("/users/not-a-uuid").render();
    await screen.findByRole("heading", { name: "Page not found" });
  });

  it("applying filters writes them to the address, typed", async () => {
    const user = userEvent.setup();
    const app = renderAdmin("/users");
    app.render();
    await user.type(await screen.findByLabelText("Search email or name"), "grace");
    await user.selectOptions(screen.getByLabelText("Status"), "inactive");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(app.router.state.location.search).toEqual({ search: "grace", status: "inactive" });
  });
});

describe("sign-in redirect", () => {
  it("keeps only paths inside the panel", () => {
    expect(signInSearch.parse({ redirect: "/users/abc?x=1" })).toEqual({ redirect: "/users/abc?x=1" });
    for (const hostile of ["//evil.example/users", "https://evil.example/", "/\\evil.example", "users", 42]) {
      expect(signInSearch.parse({ redirect: hostile })).toEqual({ redirect: undefined });
    }
  });

  it("a signed-out visit to a user's page goes to sign-in, remembering where it was going", async () => {
    const app = renderAdmin("/users/5d1f2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b?from=mail");
    app.store.clear();
    app.render();
    await screen.findByRole("heading", { name: "Admin sign-in" });
    expect(app.router.state.location.pathname).toBe("/sign-in");
    expect(app.router.state.location.search).toEqual({ redirect: "/users/5d1f2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b?from=mail" });
  });
});
