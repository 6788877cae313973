import { defineConfig } from "vitest/config";

/** Shared by every workspace: real databases take seconds to start on 2 busy cores. */
export const sharedTestConfig = defineConfig({
  test: {
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
