import type {} from "vitest";

/**
 * What test/global-setup.ts hands the jsdom test files: where the real API
 * listens and an admin account on it. Read with `inject("liveApi")`.
 */
export interface LiveApi {
  trpcUrl: string;
  adminEmail: string;
  adminPassword: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    liveApi: LiveApi;
  }
}
