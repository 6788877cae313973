import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// Vite requires a default export here. The dev server binds 127.0.0.1:3000
// and fails rather than drift to another port: the API's CORS list names it.
export default defineConfig({
  plugins: [react()],
  // Workspace packages resolve to their source (see tsconfig.base.json), not to a build.
  resolve: { conditions: ["@voiceassist/source", ...defaultClientConditions] },
  server: { host: "127.0.0.1", port: 3000, strictPort: true },
  preview: { host: "127.0.0.1", port: 3000, strictPort: true },
  build: { outDir: "dist", sourcemap: true },
});
