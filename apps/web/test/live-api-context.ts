import type {} from "vitest";

/** Where the registered test application gets its codes (nothing listens there: the tests read the redirect). */
export const OIDC_REDIRECT_URI = "http://rp.test/callback";

/** What test/global-setup.ts hands the jsdom test files: where the real API listens. Read with `inject("liveApi")`. */
export interface LiveApi {
  trpcUrl: string;
  /** The provider's issuer and the id of an application registered with it ("Clinic Notes"). */
  oidc: { issuer: string; clientId: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    liveApi: LiveApi;
  }
}
