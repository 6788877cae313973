import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fakeUserApi } from "./fake-api";
import { adminUser, renderAdmin } from "./render-app";

function setUp() {
  const target = adminUser();
  const api = fakeUserApi(target);
  const app = renderAdmin(`/users/${target.id}`, { fetch: api.fetch });
  const listKey = app.trpc.users.list.queryKey({ search: undefined, isActive: undefined, limit: 20, offset: 0 });
  const auditKey = app.trpc.audit.list.queryKey({ userId: target.id, action: undefined, limit: 50, offset: 0 });
  app.queryClient.setQueryData(app.trpc.users.byId.queryKey({ id: target.id }), target);
  app.queryClient.setQueryData(listKey, { items: [target], total: 1 });
  app.queryClient.setQueryData(auditKey, { items: [], total: 0 });
  return { target, api, app, listKey, auditKey };
}

describe("user page", () => {
  it("saving a change invalidates the users lists and the audit log, and the page shows the saved user", async () => {
    const user = userEvent.setup();
    const { target, api, app, listKey, auditKey } = setUp();
    app.render();
    await screen.findByRole("heading", { name: `User ${target.email}` });
    expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(false);

    await user.click(screen.getByLabelText("Active (can sign in)"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByText("Changes saved.");
    expect(api.updates).toEqual([{ id: target.id, isActive: false }]);
    await waitFor(() => expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(true));
    expect(app.queryClient.getQueryState(auditKey)?.isInvalidated).toBe(true);
    // The page's own query was refetched from the server, so the summary shows the new state.
    await waitFor(() => expect(screen.getByText("Inactive")).toBeTruthy());
  });

  it("a server field error is shown next to its field, which takes focus; nothing is invalidated", async () => {
    const user = userEvent.setup();
    const { app, listKey } = setUp();
    app.render();
    const email = await screen.findByLabelText("Email");
    await user.clear(email);
    await user.type(email, "not-an-email");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Invalid email address");
    expect(document.activeElement).toBe(email);
    expect(screen.getByRole("alert").textContent).toBe("Please correct the highlighted fields.");
    expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(false);
  });
});
