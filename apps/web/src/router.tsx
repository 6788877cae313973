import { createRootRoute, createRoute, createRouter, Navigate, Outlet, redirect, type RouterHistory } from "@tanstack/react-router";
import { AppFrame, Page, useHasSession, useSession } from "@voiceassist/ui";

import { FlashContext } from "./flash";
import { AcceptInvitePage } from "./pages/accept-invite";
import { ConfirmEmailPage, VerifyEmailPage } from "./pages/confirm-link";
import { ForgotPasswordPage } from "./pages/forgot-password";
import { OidcLoginPage } from "./pages/oidc-login";
import { ProfilePage } from "./pages/profile";
import { ResetPasswordPage } from "./pages/reset-password";
import { SecurityPage } from "./pages/security";
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
const forgotPasswordRoute = createRoute({ getParentRoute: () => signedOutRoute, path: "/forgot-password", component: ForgotPasswordPage });
// Mailed links open whether or not someone is signed in in this browser.
const resetPasswordRoute = createRoute({ getParentRoute: () => rootRoute, path: "/reset-password", component: ResetPasswordPage });
const verifyEmailRoute = createRoute({ getParentRoute: () => rootRoute, path: "/verify-email", component: VerifyEmailPage });
const confirmEmailRoute = createRoute({ getParentRoute: () => rootRoute, path: "/confirm-email", component: ConfirmEmailPage });
const acceptInviteRoute = createRoute({ getParentRoute: () => rootRoute, path: "/accept-invite", component: AcceptInvitePage });
// Another application's sign-in: it signs in here when needed and goes on by itself, so no guard.
const oidcLoginRoute = createRoute({ getParentRoute: () => rootRoute, path: "/oidc/login", component: OidcLoginPage });
const signedInRoute = createRoute({ getParentRoute: () => rootRoute, id: "signed-in", component: SignedIn });
const profileRoute = createRoute({ getParentRoute: () => signedInRoute, path: "/profile", component: ProfilePage });
const securityRoute = createRoute({ getParentRoute: () => signedInRoute, path: "/security", component: SecurityPage });

const routeTree = rootRoute.addChildren([
  indexRoute,
  signedOutRoute.addChildren([signInRoute, signUpRoute, forgotPasswordRoute]),
  resetPasswordRoute,
  verifyEmailRoute,
  confirmEmailRoute,
  acceptInviteRoute,
  oidcLoginRoute,
  signedInRoute.addChildren([profileRoute, securityRoute]),
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
