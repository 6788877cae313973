import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig, loadEnv } from "vite";

// ADMIN_PORT (set by `npm start` for another port; default 3001), read through Vite's own env loader.
const port = Number(loadEnv("", import.meta.dirname, "ADMIN_PORT").ADMIN_PORT || 3001);

// Vite requires a default export here. The dev server binds 127.0.0.1:3001 (or ADMIN_PORT)
// and fails rather than drift to another port: the API's CORS list names it.
export default defineConfig({
  plugins: [react()],
  // Workspace packages resolve to their source (see tsconfig.base.json), not to a build.
  resolve: { conditions: ["@voiceassist/source", ...defaultClientConditions] },
  server: { host: "127.0.0.1", port, strictPort: true },
  preview: { host: "127.0.0.1", port, strictPort: true },
  build: { outDir: "dist", sourcemap: true },
});
