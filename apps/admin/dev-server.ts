import { devServerFor } from "@voiceassist/ui/dev-server";

/** Serves this app in Vite dev mode on an already-bound http server, for the browser tests. */
export const attachDevServer = devServerFor(new URL("./", import.meta.url));
