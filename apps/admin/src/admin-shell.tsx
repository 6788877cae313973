import { FormAlert, Page, useQuery } from "@voiceassist/ui";
import type { Flash, Route } from "@voiceassist/ui";

import { api, NOT_ADMIN_MESSAGE, session } from "./api";
import { AuditPage } from "./pages/audit";
import { UserDetailPage } from "./pages/user-detail";
import { UsersPage } from "./pages/users";

const USER_PATH = /^\/users\/([^/]+)$/;

/**
 * Everything behind sign-in. A stored session is re-checked on load: an
 * account demoted since it signed in is turned away like a non-admin.
 */
export function AdminShell({ route, onRefused }: { route: Route; onRefused: (flash: Flash) => void }) {
  const me = useQuery(async () => {
    const user = await api.auth.me.query();
    if (!user.isAdmin) {
      onRefused({ tone: "error", message: NOT_ADMIN_MESSAGE });
      await session.signOut().catch(() => undefined);
    }
    return user;
  }, "me");

  const signOut = () => {
    onRefused({ tone: "info", message: "You have been signed out." });
    void session.signOut().catch(() => undefined);
  };

  if (!me.data?.isAdmin) {
    return <main>{me.error ? <FormAlert message={me.error} /> : <p role="status">Checking your access…</p>}</main>;
  }
  const userId = USER_PATH.exec(route.path)?.[1];
  return (
    <>
      <nav className="subnav" aria-label="Admin sections">
        <a href="#/users" aria-current={route.path.startsWith("/users") ? "page" : undefined}>
          Users
        </a>
        <a href="#/audit" aria-current={route.path === "/audit" ? "page" : undefined}>
          Audit log
        </a>
        <span className="whoami">Signed in as {me.data.email}</span>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </nav>
      <main>
        {route.path === "/users" ? (
          <UsersPage query={route.query} />
        ) : userId ? (
          <UserDetailPage key={userId} id={decodeURIComponent(userId)} />
        ) : route.path === "/audit" ? (
          <AuditPage query={route.query} />
        ) : (
          <Page title="Page not found">
            <p>
              There is nothing here. Go to the <a href="#/users">users</a>.
            </p>
          </Page>
        )}
      </main>
    </>
  );
}
