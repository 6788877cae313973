import type { TestProject } from "vitest/node";

import { startTestServer } from "@voiceassist/testing/server";

import type {} from "./live-api-context";

/**
 * The real API server, for the tests that drive the app against it. It runs
 * here, in Node: the server cannot load inside jsdom's module environment.
 * Embedded PGlite, or the Postgres/Redis named by DATABASE_URL/REDIS_URL.
 */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide("liveApi", { trpcUrl: server.trpcUrl });
  return () => server.close();
}
