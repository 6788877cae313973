import type { TestProject } from "vitest/node";

import { totpCodeAt } from "@voiceassist/api";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, signUp, signUpAdmin } from "@voiceassist/testing/users";
import { createSoftAuthenticator } from "@voiceassist/testing/webauthn";

import type {} from "./live-api-context";

/**
 * The real API server, for the tests that drive the panel against it. It runs
 * here, in Node: the server cannot load inside jsdom's module environment.
 * Embedded PGlite, or the Postgres/Redis named by DATABASE_URL/REDIS_URL.
 */
export default async function setup(project: TestProject) {
  const [server, strict] = await Promise.all([
    startTestServer(),
    // A second server with the admin policy on, for the enrolment path (its own database).
    startTestServer({ env: { MFA_REQUIRED_FOR_ADMINS: "true" } }),
  ]);
  // Only an admin needs the database directly; everything else goes through the API.
  const admin = await signUpAdmin(server);
  const usersWithFactors = [];
  for (let i = 0; i < 2; i++) usersWithFactors.push(await userWithFactors(server));
  project.provide("liveApi", { trpcUrl: server.trpcUrl, adminEmail: admin.email, adminPassword: admin.password, usersWithFactors });
  // On the strict server an admin without a second factor can call no admin procedure, so each
  // test that needs one takes its own from here.
  const strictAdmins = [];
  for (let i = 0; i < 3; i++) strictAdmins.push(await signUpAdmin(strict));
  project.provide("mfaRequiredApi", {
    trpcUrl: strict.trpcUrl,
    admins: strictAdmins.map((a) => ({ email: a.email, password: a.password })),
  });
  return () => Promise.all([server.close(), strict.close()]).then(() => undefined);
}

/**
 * A user with an authenticator app and a passkey named "Clinic laptop", signed in once. Made
 * here, in Node: the software authenticator's CBOR cannot run in jsdom's realm.
 */
async function userWithFactors(server: TestServer) {
  const me = await signUp(server, { fullName: "Mia Factor" });
  const { secret } = await me.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
  await me.client.mfa.totp.confirm.mutate({ code: totpCodeAt(secret, Date.now()) });
  const options = await me.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
  const response = createSoftAuthenticator().register(options, { origin: "http://localhost:3000" });
  await me.client.mfa.passkeys.register.mutate({ response, name: "Clinic laptop" });
  return { id: me.user.id, email: me.email, accessToken: me.tokens.accessToken };
}
