import type { TestProject } from "vitest/node";

import { startTestServer } from "@voiceassist/testing/server";
import { signUpAdmin } from "@voiceassist/testing/users";

import type {} from "./live-api-context";

/**
 * The real API server, for the tests that drive the panel against it. It runs
 * here, in Node: the server cannot load inside jsdom's module environment.
 * Embedded PGlite, or the Postgres/Redis named by DATABASE_URL/REDIS_URL.
 */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  // Only an admin needs the database directly; everything else goes through the API.
  const admin = await signUpAdmin(server);
  project.provide("liveApi", { trpcUrl: server.trpcUrl, adminEmail: admin.email, adminPassword: admin.password });
  return () => server.close();
}
