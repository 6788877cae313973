import {
  createRootRoute,
  createRoute,
  createRouter,
  Navigate,
  notFound,
  Outlet,
  redirect,
  type RouterHistory,
  useRouter,
  useSearch,
} from "@tanstack/react-router";
import { useEffect, useLayoutEffect, useState } from "react";

import { AppFrame, Page, useHasSession, useSession } from "@voiceassist/ui";

import { AdminShell } from "./admin-shell";
import { FlashContext } from "./flash";
import { AuditPage } from "./pages/audit";
import { ConnectedAppPage } from "./pages/connected-app";
import { ConnectedAppsPage } from "./pages/connected-apps";
import { SignInPage } from "./pages/sign-in";
import { UserDetailPage } from "./pages/user-detail";
import { UsersPage } from "./pages/users";
import { auditSearch, signInSearch, userParams, usersSearch } from "./search";

const APP_NAME = "VoiceAssist Admin";

function Root() {
  return (
    <AppFrame name={APP_NAME} flashContext={FlashContext}>
      <Outlet />
    </AppFrame>
  );
}

/** Signed out → sign-in; signed in → away from it. The guards follow the token store as it changes. */
function SignedOut() {
  const signedIn = useHasSession(useSession());
  const { redirect: target } = useSearch({ strict: false });
  const router = useRouter();
  // The target is a validated in-app path (search.ts); the history takes it as it is.
  useEffect(() => {
    if (signedIn && target) router.history.replace(target);
  }, [signedIn, target, router]);
  if (signedIn) return target ? null : <Navigate to="/users" replace />;
  return (
    <main className="narrow">
      <Outlet />
    </main>
  );
}

function SignedIn() {
  return useHasSession(useSession()) ? <AdminShell /> : <ToSignIn />;
}

/**
 * A deep link opened while signed out is kept, so sign-in leads back to it.
 * The address is read once, at mount: re-reading it after the redirect would
 * nest sign-in inside its own redirect.
 */
function ToSignIn() {
  const router = useRouter();
  const [redirect] = useState(() => {
    const href = router.state.location.href;
    return href === "/" ? undefined : href;
  });
  useLayoutEffect(() => {
    void router.navigate({ to: "/sign-in", search: { redirect }, replace: true });
  }, [router, redirect]);
  return null;
}

function NotFound() {
  return (
    <main>
      <Page title="Page not found">
        <p>There is nothing here. Go to the users list.</p>
      </Page>
    </main>
  );
}

const rootRoute = createRootRoute({ component: Root, notFoundComponent: NotFound });
const signedOutRoute = createRoute({ getParentRoute: () => rootRoute, id: "signed-out", component: SignedOut });
const signInRoute = createRoute({
  getParentRoute: () => signedOutRoute,
  path: "/sign-in",
  validateSearch: signInSearch,
  component: SignInPage,
});
const signedInRoute = createRoute({ getParentRoute: () => rootRoute, id: "signed-in", component: SignedIn });
const indexRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/users", replace: true });
  },
});
export const usersRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/users",
  validateSearch: usersSearch,
  component: UsersPage,
});
export const userRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/users/$id",
  params: {
    parse: (raw) => {
      const parsed = userParams.safeParse(raw);
      if (!parsed.success) throw notFound();
      return parsed.data;
    },
    stringify: ({ id }) => ({ id }),
  },
  component: UserDetailPage,
});
export const auditRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/audit",
  validateSearch: auditSearch,
  component: AuditPage,
});

export const connectedAppsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/connected-apps",
  component: ConnectedAppsPage,
});
export const connectedAppRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: "/connected-apps/$clientId",
  component: ConnectedAppPage,
});

const routeTree = rootRoute.addChildren([
  signedOutRoute.addChildren([signInRoute]),
  signedInRoute.addChildren([indexRoute, usersRoute, userRoute, auditRoute, connectedAppsRoute, connectedAppRoute]),
]);

/** Browser history by default (the servers fall back to index.html); tests pass a memory history. */
export function createAppRouter(history?: RouterHistory) {
  return createRouter({ routeTree, ...(history ? { history } : {}) });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
