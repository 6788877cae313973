import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Starting a real server (embedded PGlite, migrations) takes seconds on a 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
