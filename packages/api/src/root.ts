import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { healthRouter } from "./routers/health";
import { mfaRouter } from "./routers/mfa";
import { oidcRouter } from "./routers/oidc";
import { usersRouter } from "./routers/users";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  users: usersRouter,
  mfa: mfaRouter,
  audit: auditRouter,
  oidc: oidcRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process (tests, scripts) with a context built by `createContext`. */
export const createCaller = createCallerFactory(appRouter);
