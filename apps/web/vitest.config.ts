import { mergeConfig } from "vitest/config";

import { componentTestConfig } from "../../vitest.shared.ts";

// The real API for the live tests starts once, in Node (test/global-setup.ts). Vitest loads that file in its own
// `__vitest__` environment, which must resolve workspace packages to their source like the rest.
const nodeConditions = ["@voiceassist/source", "module", "node", "development|production"];

export default mergeConfig(componentTestConfig, {
  environments: { __vitest__: { resolve: { conditions: nodeConditions } } },
  test: { globalSetup: ["test/global-setup.ts"] },
});
