import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, formErrors, Notice, Page, useTRPC } from "@voiceassist/ui";

import { formatDate } from "../ui/format";
import { userStatus } from "../ui/user-status";
import { AccountMail } from "./account-mail";
import { DeleteUser } from "./delete-user";
import { UserForm } from "./user-form";

export type AdminUser = RouterOutputs["users"]["byId"];

const route = getRouteApi("/signed-in/users/$id");

export function UserDetailPage() {
  const trpc = useTRPC();
  const { id } = route.useParams();
  const user = useQuery(trpc.users.byId.queryOptions({ id }));
  const [notice, setNotice] = useState<string | null>(null);

  const data = user.data;
  return (
    <Page title={data ? `User ${data.email}` : "User"}>
      <p>
        <Link to="/users">← Back to users</Link>
      </p>
      {user.isPending ? <p role="status">Loading user…</p> : null}
      <FormAlert message={formErrors(user.error).message} />
      <Notice message={notice} tone="success" />
      {data ? (
        <>
          <dl className="summary">
            <dt>User ID</dt>
            <dd>
              <code>{data.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>{data.invitedAt ? `Invited ${formatDate(data.invitedAt)}` : userStatus(data)}</dd>
            <dt>Email verified</dt>
            <dd>{data.emailVerifiedAt ? formatDate(data.emailVerifiedAt) : "Not yet"}</dd>
            <dt>Created</dt>
            <dd>{formatDate(data.createdAt)}</dd>
            <dt>Last sign-in</dt>
            <dd>{formatDate(data.lastLogin)}</dd>
            <dt>Nextcloud account</dt>
            <dd>{describeProvisioning(data.provisioning)}</dd>
          </dl>
          <p>
            <Link to="/audit" search={{ userId: data.id }}>
              View this user's audit events
            </Link>
          </p>
          {/* Keyed by updatedAt so the form's initial values follow every saved change. */}
          <UserForm key={data.updatedAt.toISOString()} user={data} onSaved={() => setNotice("Changes saved.")} />
          <AccountMail user={data} />
          <DeleteUser user={data} onDeleted={() => setNotice("User deleted: deactivated and signed out everywhere.")} />
        </>
      ) : null}
    </Page>
  );
}

function describeProvisioning(state: AdminUser["provisioning"]): string {
  if (!state) return "Not requested";
  if (state.state === "provisioned") return `Provisioned ${formatDate(state.provisionedAt)}`;
  if (state.state === "pending") {
    const tries = state.attempts ? `, ${state.attempts} failed ${state.attempts === 1 ? "try" : "tries"} so far` : "";
    return `Pending (next attempt ${formatDate(state.nextAttemptAt)}${tries})`;
  }
  return `Failed after ${state.attempts} attempts${state.lastError ? `: ${state.lastError}` : ""}`;
}
