import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { liveApi, registerUser, signInAdmin } from "./live-api";
import { renderAdmin } from "./render-app";

async function openUser() {
  const target = await registerUser("Dora Deleted");
  const admin = await signInAdmin();
  const app = renderAdmin(`/users/${target.id}`, { api: { url: liveApi().trpcUrl, headers: admin.headers, tokens: admin.tokens } });
  app.render();
  await screen.findByRole("heading", { name: `User ${target.email}` }, { timeout: 10_000 });
  return { target, admin, app };
}

describe("delete, restore and erase on the user page", () => {
  it("a deleted user shows Deleted, cannot be reactivated by ticking Active, and comes back with Restore", async () => {
    const user = userEvent.setup();
    const { target, admin } = await openUser();
    await user.click(screen.getByRole("button", { name: "Delete user…" }));
    await user.click(screen.getByRole("button", { name: "Yes, delete user" }));
    await screen.findByText(/User deleted/);
    await waitFor(() => expect(screen.getAllByText("Deleted").length).toBeGreaterThan(0));
    const active = screen.getByLabelText("Active (can sign in)") as HTMLInputElement;
    expect(active.disabled).toBe(true);
    expect(screen.getByText("A deleted user comes back with Restore, below.")).toBeTruthy();
    expect((await admin.client.users.byId.query({ id: target.id })).deletedAt).toBeInstanceOf(Date);

    await user.click(screen.getByRole("button", { name: "Restore user" }));
    await screen.findByText(/User restored/);
    expect(await admin.client.users.byId.query({ id: target.id })).toMatchObject({ isActive: true, deletedAt: null });
    await waitFor(() => expect(screen.queryByRole("button", { name: "Restore user" })).toBeNull());
  });

  it("erase stays disabled until the email is typed exactly, then leaves only the id", async () => {
    const user = userEvent.setup();
    const { target, admin } = await openUser();
    await user.click(screen.getByRole("button", { name: "Delete user…" }));
    await user.click(screen.getByRole("button", { name: "Yes, delete user" }));
    const form = await screen.findByRole("form", { name: "Erase personal data" }, { timeout: 10_000 });
    const erase = within(form).getByRole("button", { name: "Erase personal data" }) as HTMLButtonElement;
    expect(erase.disabled).toBe(true);
    const confirm = within(form).getByLabelText(`Type ${target.email} to confirm`);
    await user.type(confirm, target.email.slice(0, -1));
    expect(erase.disabled).toBe(true);
    await user.type(confirm, target.email.slice(-1));
    expect(erase.disabled).toBe(false);
    await user.click(erase);
    await screen.findByText(/Personal data erased/);
    const after = await admin.client.users.byId.query({ id: target.id });
    expect(after).toMatchObject({ fullName: null, email: `erased-${target.id}@erased.invalid` });
    await screen.findByRole("heading", { name: "User (erased)" });
    expect(screen.queryByRole("button", { name: "Restore user" })).toBeNull();
  });
});
