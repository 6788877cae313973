import { randomBytes } from "node:crypto";

import type { TestProject } from "vitest/node";

import { freePort } from "@voiceassist/testing/ports";
import { startTestServer } from "@voiceassist/testing/server";
import { signUpAdmin } from "@voiceassist/testing/users";

import { OIDC_REDIRECT_URI, type LiveApi } from "./live-api-context";

/**
 * The real API server, for the tests that drive the app against it. It runs
 * here, in Node: the server cannot load inside jsdom's module environment.
 * Embedded PGlite, or the Postgres/Redis named by DATABASE_URL/REDIS_URL.
 * Single sign-on is on (the issuer is its own address, so the port is chosen
 * first), with one registered application for the /oidc/login tests.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const server = await startTestServer({
    port,
    env: { OIDC_ISSUER: issuer, DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") },
  });
  const admin = await signUpAdmin(server);
  const { clientId } = await admin.client.oidc.clients.create.mutate({ name: "Clinic Notes", redirectUris: [OIDC_REDIRECT_URI] });
  const liveApi: LiveApi = { trpcUrl: server.trpcUrl, oidc: { issuer, clientId } };
  project.provide("liveApi", liveApi);
  return () => server.close();
}
