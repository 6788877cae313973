import { createRequire } from "node:module";

/** The server package's version, reported by health.live. */
export const version: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
