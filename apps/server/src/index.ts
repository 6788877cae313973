// What other workspaces may build on (the test server in @voiceassist/testing): the app and how it is wired.
export { buildApp, BODY_LIMIT_BYTES } from "./app";
export type { App, BuildAppOptions } from "./app";
export { ConfigError, loadConfig } from "./config";
export type { Config } from "./config";
export { createServerDeps } from "./deps";
export type { DepsOverrides, ServerDeps } from "./deps";
export { createLogger } from "./logger";
export type { AppLogger } from "./logger";
