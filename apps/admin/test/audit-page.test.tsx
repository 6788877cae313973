import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { AUDIT_ACTIONS } from "@voiceassist/shared";

import { ACTION_WORDS } from "../src/audit/action-words";
import { detailFields } from "../src/audit/detail-fields";
import { liveApi, registerUser, signInAdmin } from "./live-api";
import { renderAdmin } from "./render-app";

describe("audit log", () => {
  it("has words for every action, none repeated", () => {
    const words = AUDIT_ACTIONS.map((action) => ACTION_WORDS[action]);
    expect(words.every((w) => typeof w === "string" && w.length > 0)).toBe(true);
    expect(new Set(words).size).toBe(words.length);
    expect(ACTION_WORDS["auth.login"]).toBe("Signed in");
    expect(ACTION_WORDS["user.change_password"]).toBe("Changed password");
    expect(ACTION_WORDS["ratelimit.exceeded"]).toBe("Rate limit hit");
  });

  it("turns detail into labelled fields", () => {
    expect(detailFields({ reason: "wrong_password", email: "a@example.com" })).toEqual([
      { label: "Reason", value: "Wrong password" },
      { label: "Email typed", value: "a@example.com" },
    ]);
    expect(detailFields({ changes: { fullName: "Ada", isActive: false } })).toEqual([
      { label: "Changed: Name", value: "Ada" },
      { label: "Changed: Active", value: "No" },
    ]);
    expect(detailFields({ fields: ["fullName", "email"] })).toEqual([{ label: "Fields changed", value: "name, email" }]);
  });

  it("says connected-app events in words: the app, the fields changed, the sign-in methods, a refusal's reason", () => {
    expect(detailFields({ clientId: "va-abc", fields: ["redirectUris", "backchannelLogoutUri"] })).toEqual([
      { label: "App (client ID)", value: "va-abc" },
      { label: "Fields changed", value: "redirect URIs, back-channel logout URI" },
    ]);
    expect(detailFields({ clientId: "va-abc", amr: ["pwd", "otp"] })).toEqual([
      { label: "App (client ID)", value: "va-abc" },
      { label: "Signed in with", value: "password + one-time code" },
    ]);
    expect(detailFields({ reason: "invited" })).toEqual([{ label: "Reason", value: "Invitation not accepted yet" }]);
    expect(ACTION_WORDS["admin.oidc_client.rotate_secret"]).toBe("Gave a connected app a new secret");
  });

  it("shows actor and target by name and email, linked; actions in words; the request id in the details; filters by user", async () => {
    const user = userEvent.setup();
    const target = await registerUser("Tess Target");
    const admin = await signInAdmin();
    await admin.client.users.update.mutate({ id: target.id, fullName: "Tess T. Target" });
    const app = renderAdmin(`/audit?user=${encodeURIComponent(target.email)}`, {
      api: { url: liveApi().trpcUrl, headers: admin.headers, tokens: admin.tokens },
    });
    app.render();

    const table = await screen.findByRole("table", {}, { timeout: 10_000 });
    const rows = within(table).getAllByRole("row").slice(1);
    const change = rows.find((row) => within(row).queryByText("Changed a user"));
    expect(change).toBeTruthy();
    const targetLink = within(change as HTMLElement).getByRole("link", { name: /Tess T\. Target/ });
    expect(targetLink.textContent).toContain(target.email);
    expect(targetLink.getAttribute("href")).toBe(`/users/${target.id}`);
    expect(within(change as HTMLElement).getByRole("link", { name: new RegExp(liveApi().adminEmail) })).toBeTruthy();
    // Raw JSON is gone; the change is a labelled field, and the request id sits in the details.
    expect(table.textContent).not.toContain('{"changes"');
    await user.click(within(change as HTMLElement).getByText("Details"));
    expect(within(change as HTMLElement).getByText("Changed: Name")).toBeTruthy();
    expect(within(change as HTMLElement).getByText("Request ID")).toBeTruthy();
    expect(rows.every((row) => row.textContent?.includes(target.email))).toBe(true);

    await user.selectOptions(screen.getByLabelText("Outcome"), "failure");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    await screen.findByText("No events match these filters.", {}, { timeout: 10_000 });
    expect(app.router.state.location.search).toMatchObject({ user: target.email, outcome: "failure" });
    // An empty result has no dead pager.
    expect(screen.queryByRole("navigation", { name: "Audit events pages" })).toBeNull();
  });
});
