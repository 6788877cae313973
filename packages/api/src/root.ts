import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import { authRouter } from "./routers/auth";
import { healthRouter } from "./routers/health";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process (tests, scripts) with a context built by `createContext`. */
export const createCaller = createCallerFactory(appRouter);
