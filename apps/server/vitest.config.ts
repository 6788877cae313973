import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each file starts real servers and databases; on 2 cores under load that takes seconds.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
  },
});
