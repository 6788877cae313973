import { basename } from "node:path";

import { defineConfig, mergeConfig } from "vitest/config";

// .ci/run sets this to collect every workspace's results into one summary line.
const reportDir = process.env.VITEST_REPORT_DIR;

/** Shared by every workspace: real databases take seconds to start on 2 busy cores. */
export const sharedTestConfig = defineConfig({
  // Workspace packages resolve to their source, not to a build (see tsconfig.base.json); Vite's defaults follow.
  resolve: { conditions: ["@voiceassist/source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["@voiceassist/source", "module", "node", "development|production"] } },
  test: {
    hookTimeout: 60_000,
    testTimeout: 30_000,
    ...(reportDir
      ? {
          reporters: ["default", "json"],
          outputFile: { json: `${reportDir}/${basename(process.cwd())}.json` },
        }
      : {}),
  },
});

/** Component tests: rendered into jsdom; Testing Library's DOM is emptied after each test (each workspace's test/setup.ts). */
export const componentTestConfig = mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      environment: "jsdom",
      include: ["test/**/*.test.{ts,tsx}"],
      setupFiles: ["test/setup.ts"],
    },
  }),
);
