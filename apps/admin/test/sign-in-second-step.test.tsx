import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { createClient, isMfaChallenge } from "@voiceassist/client";
import { enrolTotp } from "@voiceassist/testing/totp";

import { NOT_ADMIN_MESSAGE } from "../src/api";
import { callerHeaders, liveApi, registerUser, signInAdmin } from "./live-api";
import { renderAdmin } from "./render-app";

const PASSWORD = "correct-horse-battery";

/** A registered account (made an admin when asked) with an authenticator app turned on. */
async function accountWithTotp({ admin }: { admin: boolean }) {
  const person = await registerUser("Grace Hopper");
  if (admin) await (await signInAdmin()).client.users.update.mutate({ id: person.id, isAdmin: true });
  const headers = callerHeaders();
  const login = await createClient({ url: liveApi().trpcUrl, headers: () => headers }).auth.login.mutate({
    email: person.email,
    password: PASSWORD,
  });
  if (isMfaChallenge(login)) throw new Error("expected no second factor yet");
  const client = createClient({ url: liveApi().trpcUrl, headers: () => headers, getAccessToken: () => login.accessToken });
  return { email: person.email, ...(await enrolTotp(client, PASSWORD)) };
}

async function signInWithCode(email: string, code: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), PASSWORD);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByRole("heading", { name: "Confirm it's you" });
  const step = screen.getByRole("form", { name: "Second step" });
  await user.type(within(step).getByLabelText("Code from your authenticator app"), code);
  await user.click(within(step).getByRole("button", { name: "Verify" }));
}

describe("admin sign-in, second step (live API)", () => {
  it("an admin with an authenticator app signs in with its code and lands on the users list", async () => {
    const { email, app: authenticator } = await accountWithTotp({ admin: true });
    const app = renderAdmin("/sign-in", { api: { url: liveApi().trpcUrl, headers: callerHeaders(), tokens: null } });
    app.render();
    await signInWithCode(email, authenticator.code(1));
    await screen.findByRole("heading", { name: "Users" });
    // The kept session is this admin's, and it counts as signed in with a second factor.
    const kept = app.store.get();
    const asKept = createClient({ url: liveApi().trpcUrl, headers: callerHeaders, getAccessToken: () => kept?.accessToken });
    expect((await asKept.auth.me.query()).email).toBe(email);
    expect((await asKept.auth.sessions.query()).find((session) => session.current)?.mfa).toBe(true);
  });

  it("a non-admin who passes the second step is still turned away, and nothing is kept", async () => {
    const { email, app: authenticator } = await accountWithTotp({ admin: false });
    const app = renderAdmin("/sign-in", { api: { url: liveApi().trpcUrl, headers: callerHeaders(), tokens: null } });
    app.render();
    await signInWithCode(email, authenticator.code(1));
    await screen.findByRole("heading", { name: "Admin sign-in" });
    expect((await screen.findByRole("alert")).textContent).toBe(NOT_ADMIN_MESSAGE);
    expect(app.store.get()).toBeNull();
  });
});
