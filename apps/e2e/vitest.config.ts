import { defineConfig, mergeConfig } from "vitest/config";

import { sharedTestConfig } from "../../vitest.shared.ts";

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      // A real API, two Vite servers and Chromium start per file: give the hooks room on 2 cores.
      hookTimeout: 90_000,
      testTimeout: 60_000,
      // Each file drives its own Chromium; two at once is what 2 cores carry.
      maxWorkers: 2,
    },
  }),
);
