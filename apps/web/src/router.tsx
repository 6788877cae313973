import { createRootRoute, createRoute, createRouter, Navigate, Outlet, redirect, type RouterHistory } from "@tanstack/react-router";
import { AppFrame, Page, useHasSession, useSession } from "@voiceassist/ui";

import { FlashContext } from "./flash";
import { ProfilePage } from "./pages/profile";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";

const APP_NAME = "VoiceAssist";

function Root() {
  return (
    <AppFrame name={APP_NAME} flashContext={FlashContext}>
      <main>
        <Outlet />
      </main>
    </AppFrame>
  );
}

/** What is shown follows the session: these guards redirect as soon as the token store changes. */
function SignedOut() {
  return useHasSession(useSession()) ? <Navigate to="/profile" replace /> : <Outlet />;
}

function SignedIn() {
  return useHasSession(useSession()) ? <Outlet /> : <Navigate to="/sign-in" replace />;
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is nothing here.</p>
    </Page>
  );
}

const rootRoute = createRootRoute({ component: Root, notFoundComponent: NotFound });
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/profile", replace: true });
  },
});
const signedOutRoute = createRoute({ getParentRoute: () => rootRoute, id: "signed-out", component: SignedOut });
const signInRoute = createRoute({ getParentRoute: () => signedOutRoute, path: "/sign-in", component: SignInPage });
const signUpRoute = createRoute({ getParentRoute: () => signedOutRoute, path: "/sign-up", component: SignUpPage });
const signedInRoute = createRoute({ getParentRoute: () => rootRoute, id: "signed-in", component: SignedIn });
const profileRoute = createRoute({ getParentRoute: () => signedInRoute, path: "/profile", component: ProfilePage });

const routeTree = rootRoute.addChildren([
  indexRoute,
  signedOutRoute.addChildren([signInRoute, signUpRoute]),
  signedInRoute.addChildren([profileRoute]),
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
