import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig, loadEnv } from "vite";

// WEB_PORT (set by `npm start` for another port; default 3000), read through Vite's own env loader.
const port = Number(loadEnv("", import.meta.dirname, "WEB_PORT").WEB_PORT || 3000);

// Vite requires a default export here. The dev server binds 127.0.0.1:3000 (or WEB_PORT)
// and fails rather than drift to another port: the API's CORS list names it.
export default defineConfig({
  plugins: [react()],
  // Workspace packages resolve to their source (see tsconfig.base.json), not to a build.
  resolve: { conditions: ["@voiceassist/source", ...defaultClientConditions] },
  server: { host: "127.0.0.1", port, strictPort: true },
  preview: { host: "127.0.0.1", port, strictPort: true },
  build: { outDir: "dist", sourcemap: true },
});
