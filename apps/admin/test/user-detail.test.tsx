import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { liveApi, registerUser, signInAdmin } from "./live-api";
import { renderAdmin } from "./render-app";

/** The panel on a fresh user's page, signed in as the admin, against the real API. */
async function setUp() {
  const target = await registerUser();
  const admin = await signInAdmin();
  const app = renderAdmin(`/users/${target.id}`, { api: { url: liveApi().trpcUrl, headers: admin.headers, tokens: admin.tokens } });
  const listInput = { search: undefined, isActive: undefined, limit: 20, offset: 0 };
  const auditInput = { userId: target.id, action: undefined, limit: 50, offset: 0 };
  // Cached (from the server) but not on screen, so an invalidation marks them instead of refetching.
  await app.queryClient.prefetchQuery(app.trpc.users.list.queryOptions(listInput));
  await app.queryClient.prefetchQuery(app.trpc.audit.list.queryOptions(auditInput));
  const listKey = app.trpc.users.list.queryKey(listInput);
  const auditKey = app.trpc.audit.list.queryKey(auditInput);
  return { target, admin, app, listKey, auditKey };
}

describe("user page", () => {
  it("saving a change invalidates the users lists and the audit log, and the page shows the saved user", async () => {
    const user = userEvent.setup();
    const { target, admin, app, listKey, auditKey } = await setUp();
    expect(app.queryClient.getQueryData(listKey)?.total).toBeGreaterThan(0);
    app.render();
    await screen.findByRole("heading", { name: `User ${target.email}` }, { timeout: 10_000 });
    expect(screen.getByText("Active")).toBeTruthy();
    expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(false);

    await user.click(screen.getByLabelText("Active (can sign in)"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await screen.findByText("Changes saved.");
    // Stored: the server gives back the change, and only that change.
    expect(await admin.client.users.byId.query({ id: target.id })).toMatchObject({
      isActive: false,
      email: target.email,
      fullName: target.fullName,
      isAdmin: false,
    });
    await waitFor(() => expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(true));
    expect(app.queryClient.getQueryState(auditKey)?.isInvalidated).toBe(true);
    // The page's own query was refetched from the server, so the summary shows the new state.
    await waitFor(() => expect(screen.getByText("Inactive")).toBeTruthy());
  });

  it("a server field error is shown next to its field; focus goes to the error summary, which links to the field; editing clears it", async () => {
    const user = userEvent.setup();
    const { target, admin, app, listKey } = await setUp();
    app.render();
    const email = await screen.findByLabelText("Email", {}, { timeout: 10_000 });
    await user.clear(email);
    await user.type(email, "not-an-email");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(email.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Invalid email address");
    const summary = screen.getByRole("alert");
    expect(document.activeElement).toBe(summary);
    expect(summary.textContent).toContain("Please correct the highlighted fields.");
    await user.click(screen.getByRole("link", { name: "Invalid email address" }));
    expect(document.activeElement).toBe(email);
    expect(app.queryClient.getQueryState(listKey)?.isInvalidated).toBe(false);
    expect((await admin.client.users.byId.query({ id: target.id })).email).toBe(target.email);

    // The corrected field is no longer marked wrong.
    await user.type(email, "x");
    expect(email.getAttribute("aria-invalid")).toBeNull();
  });

  it("a save that changes nothing sends nothing and says so; the next action clears the notice", async () => {
    const user = userEvent.setup();
    const { target, admin, app, auditKey } = await setUp();
    app.render();
    await screen.findByRole("heading", { name: `User ${target.email}` }, { timeout: 10_000 });
    // Once the sessions have loaded, their "Loading…" line is not a second status.
    await screen.findByText("Not signed in anywhere.", {}, { timeout: 10_000 });
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(screen.getByRole("status", { name: "" }).textContent).toBe("No changes to save.");
    expect(app.queryClient.getQueryState(auditKey)?.isInvalidated).toBe(false);
    const events = await admin.client.audit.list.query({ userId: target.id, action: "admin.user.update" });
    expect(events.total).toBe(0);

    await user.click(screen.getByRole("button", { name: "Delete user…" }));
    expect(screen.queryByText("No changes to save.")).toBeNull();
  });
});
