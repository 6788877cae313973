import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sessions, users } from "@voiceassist/db";

import { DomainError } from "../src/errors";
import { appRouter } from "../src/root";
import { PASSWORD, procedureHarness, type Caller, type ProcedureHarness } from "./support";

/**
 * Who may call what, through createCaller on a real database: every procedure
 * is classified below, so a new one fails the first test until it is.
 */
const PUBLIC = [
  "health.live",
  "health.ready",
  "auth.register",
  "auth.login",
  "auth.refresh",
  "auth.requestPasswordReset",
  "auth.resetPassword",
  "auth.verifyEmail",
  "auth.confirmEmailChange",
  "auth.acceptInvite",
  "auth.mfa.verify",
  "auth.mfa.webauthnOptions",
  "auth.passkey.options",
  "auth.passkey.login",
  // Names the application before the sign-in; the uid is unguessable.
  "oidc.interaction.get",
];
const SIGNED_IN = [
  "auth.logout",
  "auth.me",
  "auth.resendVerification",
  "auth.sessions",
  "auth.revokeSession",
  "users.me",
  "users.updateMe",
  "users.changePassword",
  "users.requestEmailChange",
  "users.resendEmailChange",
  "users.cancelEmailChange",
  "mfa.status",
  "mfa.totp.begin",
  "mfa.totp.confirm",
  "mfa.totp.disable",
  "mfa.backupCodes.regenerate",
  "mfa.passkeys.registrationOptions",
  "mfa.passkeys.register",
  "mfa.passkeys.remove",
  "oidc.interaction.complete",
];
const ADMIN = [
  "users.list",
  "users.byId",
  "users.update",
  "users.invite",
  "users.sendPasswordReset",
  "users.retryProvisioning",
  "users.resetMfa",
  "users.delete",
  "users.restore",
  "users.erase",
  "users.sessions",
  "users.revokeSessions",
  "audit.list",
  "audit.export",
  "oidc.clients.list",
  "oidc.clients.create",
  "oidc.clients.update",
  "oidc.clients.rotateSecret",
  "oidc.clients.delete",
];

/** What an admin's call with the sample input answers when it is not OK: the service's own refusal. */
const PAST_ACCESS: Record<string, string> = {
  "users.retryProvisioning": "BAD_REQUEST",
  "users.erase": "BAD_REQUEST",
  "oidc.clients.update": "NOT_FOUND",
  "oidc.clients.rotateSecret": "NOT_FOUND",
  "oidc.clients.delete": "NOT_FOUND",
};

/** Valid input for each protected procedure, so only access can refuse the call. */
function sampleInput(path: string, targetId: string): unknown {
  switch (path) {
    case "users.updateMe":
      return { fullName: "Sample" };
    case "users.changePassword":
      return { currentPassword: PASSWORD, newPassword: "a-new-password-2" };
    case "users.requestEmailChange":
      return { newEmail: `new-${crypto.randomUUID()}@example.com`, currentPassword: PASSWORD };
    case "users.invite":
      return { email: `invited-${crypto.randomUUID()}@example.com` };
    case "mfa.totp.begin":
    case "mfa.passkeys.registrationOptions":
      return { currentPassword: PASSWORD };
    case "mfa.totp.confirm":
    case "mfa.totp.disable":
    case "mfa.backupCodes.regenerate":
      return { code: "123456" };
    case "mfa.passkeys.register":
      return { response: SAMPLE_REGISTRATION };
    case "mfa.passkeys.remove":
      return { id: targetId, currentPassword: PASSWORD };
    case "users.byId":
    case "users.sendPasswordReset":
    case "users.resetMfa":
    case "users.retryProvisioning":
    case "users.delete":
    case "users.restore":
    case "users.sessions":
    case "users.revokeSessions":
      return { id: targetId };
    case "users.erase":
      return { id: targetId, confirmEmail: "someone@example.com" };
    case "auth.revokeSession":
      return { sessionId: crypto.randomUUID() };
    case "users.update":
      return { id: targetId, isAdmin: true };
    case "oidc.interaction.complete":
      return { uid: "no-such-interaction" };
    case "oidc.clients.create":
      return { name: "Sample app", redirectUris: ["https://app.example.org/callback"] };
    case "oidc.clients.update":
      return { clientId: "no-such-client", name: "Renamed" };
    case "oidc.clients.rotateSecret":
    case "oidc.clients.delete":
      return { clientId: "no-such-client" };
    default:
      return undefined;
  }
}

/** A well-formed (if unverifiable) WebAuthn registration answer: shape passes, the ceremony does not. */
const SAMPLE_REGISTRATION = {
  id: "AQID",
  rawId: "AQID",
  type: "public-key",
  clientExtensionResults: {},
  response: { clientDataJSON: "e30", attestationObject: "oA" },
};

/** Calls a procedure by its dotted path (routers nest: auth.mfa.verify). */
function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], caller);
  if (typeof procedure !== "function") throw new Error(`no procedure ${path}`);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: { code?: string }) => error.code ?? "NO_CODE",
  );

let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness();
});
afterAll(() => h?.destroy());

describe("procedure access", () => {
  it("classifies every procedure of the router", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual([...PUBLIC, ...SIGNED_IN, ...ADMIN].sort());
  });

  it.each(ADMIN)("%s is FORBIDDEN to a signed-in non-admin, through the domain error table", async (path) => {
    const user = await h.signUp();
    const error = await call(user.as, path, sampleInput(path, user.user.id)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "Admin access required" });
    expect((error as Error).cause).toBeInstanceOf(DomainError);
    expect((error as { cause: DomainError }).cause.kind).toBe("forbidden");
    const after = await h.db.select({ isAdmin: users.isAdmin, isActive: users.isActive }).from(users).where(eq(users.id, user.user.id));
    expect(after).toEqual([{ isAdmin: false, isActive: true }]);
  });

  it.each(ADMIN)("%s lets an admin through", async (path) => {
    const admin = await h.signUp({ admin: true });
    const target = await h.signUp();
    const code = await codeOf(call(admin.as, path, sampleInput(path, target.user.id)));
    // Refusals from the service, past access: retryProvisioning without Nextcloud, erase of a user not deleted,
    // and the sample's unknown client.
    expect(code).toBe(PAST_ACCESS[path] ?? "OK");
  });

  describe.each([...SIGNED_IN, ...ADMIN])("%s is UNAUTHORIZED without a live session", (path) => {
    const refused = async (caller: Caller, targetId: string) => {
      expect(await codeOf(call(caller, path, sampleInput(path, targetId)))).toBe("UNAUTHORIZED");
    };

    it("no token, or one that is not a JWT", async () => {
      const admin = await h.signUp({ admin: true });
      await refused(h.caller(), admin.user.id);
      await refused(h.caller({ authorization: "Bearer not-a-token" }), admin.user.id);
      await refused(h.caller({ authorization: `Basic ${admin.pair.accessToken}` }), admin.user.id);
      // The refresh token is signed by us too, but it is not an access token.
      await refused(h.caller({ authorization: `Bearer ${admin.pair.refreshToken}` }), admin.user.id);
    });

    it("the session was revoked (signed out)", async () => {
      const admin = await h.signUp({ admin: true });
      await admin.as.auth.logout();
      await refused(admin.as, admin.user.id);
    });

    it("the session expired", async () => {
      const admin = await h.signUp({ admin: true });
      await h.db.update(sessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(sessions.userId, admin.user.id));
      await refused(admin.as, admin.user.id);
    });

    it("the credentials moved on (password changed elsewhere)", async () => {
      const admin = await h.signUp({ admin: true });
      await h.db
        .update(users)
        .set({ credentialsVersion: sql`${users.credentialsVersion} + 1` })
        .where(eq(users.id, admin.user.id));
      await refused(admin.as, admin.user.id);
    });

    it("the user was deactivated or deleted", async () => {
      const admin = await h.signUp({ admin: true });
      await h.db.update(users).set({ isActive: false }).where(eq(users.id, admin.user.id));
      await refused(admin.as, admin.user.id);
    });
  });
});
