import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, Notice, Page, useQuery } from "@voiceassist/ui";

import { api } from "../api";
import { formatDate } from "../ui/format";
import { DeleteUser } from "./delete-user";
import { UserForm } from "./user-form";

export type AdminUser = RouterOutputs["users"]["byId"];
/** What update and delete return: the public user, without the provisioning state. */
export type SavedUser = RouterOutputs["users"]["update"];

export function UserDetailPage({ id }: { id: string }) {
  const user = useQuery(() => api.users.byId.query({ id }), id);
  const [notice, setNotice] = useState<string | null>(null);

  const updated = (saved: SavedUser, message: string) => {
    if (user.data) user.setData({ ...user.data, ...saved });
    setNotice(message);
  };

  const data = user.data;
  return (
    <Page title={data ? `User ${data.email}` : "User"}>
      <p>
        <a href="#/users">← Back to users</a>
      </p>
      {user.loading && !data ? <p role="status">Loading user…</p> : null}
      <FormAlert message={user.error} />
      <Notice message={notice} tone="success" />
      {data ? (
        <>
          <dl className="summary">
            <dt>User ID</dt>
            <dd>
              <code>{data.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>{data.isActive ? "Active" : "Inactive"}</dd>
            <dt>Created</dt>
            <dd>{formatDate(data.createdAt)}</dd>
            <dt>Last sign-in</dt>
            <dd>{formatDate(data.lastLogin)}</dd>
            <dt>Nextcloud account</dt>
            <dd>{describeProvisioning(data.provisioning)}</dd>
          </dl>
          <p>
            <a href={`#/audit?userId=${data.id}`}>View this user's audit events</a>
          </p>
          {/* Keyed by updatedAt so the form's initial values follow every saved change. */}
          <UserForm key={data.updatedAt.toISOString()} user={data} onSaved={(next) => updated(next, "Changes saved.")} />
          <DeleteUser user={data} onDeleted={(next) => updated(next, "User deleted: deactivated and signed out everywhere.")} />
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
