import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { adminUser, renderAdmin } from "./render-app";

const page = (offset: number, emails: string[], total: number) => ({
  key: { search: undefined, isActive: undefined, limit: 20, offset },
  data: {
    items: emails.map((email, index) => adminUser({ id: `5d1f2c3b-4a59-4e6f-8a7b-${String(offset + index).padStart(12, "0")}`, email })),
    total,
    totalIsEstimate: false,
  },
});

describe("users list", () => {
  it("renders a row per user, the total and the pager; Next moves the offset into the address", async () => {
    const user = userEvent.setup();
    const app = renderAdmin("/users");
    const first = page(0, ["ada@example.com", "grace@example.com"], 45);
    const second = page(20, ["linus@example.com"], 45);
    app.queryClient.setQueryData(app.trpc.users.list.queryKey(first.key), first.data);
    app.queryClient.setQueryData(app.trpc.users.list.queryKey(second.key), second.data);
    app.render();

    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]?.textContent)).toEqual(["ada@example.com", "grace@example.com"]);
    expect(
      within(rows[0] as HTMLElement)
        .getByRole("link")
        .getAttribute("href"),
    ).toBe(`/users/${first.data.items[0]?.id}`);
    expect(screen.getByRole("status").textContent).toBe("45 users found");

    const pager = screen.getByRole("navigation", { name: "Users pages" });
    expect(within(pager).getByText("1–20 of 45")).toBeTruthy();
    expect(within(pager).getByRole("button", { name: "Previous page" })).toHaveProperty("disabled", true);
    await user.click(within(pager).getByRole("button", { name: "Next page" }));

    await screen.findByRole("link", { name: "linus@example.com" });
    expect(app.router.state.location.search).toEqual({ offset: 20 });
    expect(within(pager).getByText("21–40 of 45")).toBeTruthy();
    expect(within(pager).getByRole("button", { name: "Previous page" })).toHaveProperty("disabled", false);
  });

  it("shows the error, not an empty table, when the list cannot be loaded", async () => {
    renderAdmin("/users").render();
    const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(alert.textContent).toBe("Cannot reach the server. Check your connection and try again.");
    expect(screen.queryByRole("table")).toBeNull();
  });
});
