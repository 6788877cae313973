import { defineConfig } from "tsup";

/**
 * The published build: ESM + one .d.ts. The router type and @voiceassist/shared are
 * private workspaces, so both are inlined (types and code); @trpc/* and superjson stay
 * imports, resolved from the consumer's install.
 */
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  clean: true,
  noExternal: [/^@voiceassist\//],
  dts: { resolve: [/^@voiceassist\//] },
});
