import type {} from "vitest";

/** What test/global-setup.ts hands the jsdom test files: where the real API listens. Read with `inject("liveApi")`. */
export interface LiveApi {
  trpcUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    liveApi: LiveApi;
  }
}
