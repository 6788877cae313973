import { defineConfig, mergeConfig } from "vitest/config";

import { componentTestConfig } from "../../vitest.shared.ts";

// The real API for the live tests starts once, in Node (test/global-setup.ts).
export default mergeConfig(componentTestConfig, defineConfig({ test: { globalSetup: ["test/global-setup.ts"] } }));
