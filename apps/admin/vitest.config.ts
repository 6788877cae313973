import { defineConfig, mergeConfig } from "vitest/config";

import { sharedTestConfig } from "../../vitest.shared.ts";

// Components render into jsdom; Testing Library's DOM is emptied after each test (test/setup.ts).
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["test/**/*.test.{ts,tsx}"],
      setupFiles: ["test/setup.ts"],
    },
  }),
);
