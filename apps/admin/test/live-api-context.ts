import type {} from "vitest";

/**
 * What test/global-setup.ts hands the jsdom test files: where the real API
 * listens and an admin account on it. Read with `inject("liveApi")`.
 */
export interface LiveApi {
  trpcUrl: string;
  adminEmail: string;
  adminPassword: string;
  /** Users with an authenticator app and one passkey ("Clinic laptop"), each with one live session: one per test. */
  usersWithFactors: Array<{ id: string; email: string; accessToken: string }>;
}

/** A server started with MFA_REQUIRED_FOR_ADMINS=true, and admins on it without a second factor. */
export interface MfaRequiredApi {
  trpcUrl: string;
  admins: Array<{ email: string; password: string }>;
}

declare module "vitest" {
  export interface ProvidedContext {
    liveApi: LiveApi;
    mfaRequiredApi: MfaRequiredApi;
  }
}
