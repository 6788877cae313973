import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, formErrors, Notice, Page, useTRPC } from "@voiceassist/ui";

import { formatDate } from "../ui/format";
import { StatusBadge } from "../user-status";
import { AccountLifecycle } from "./account-lifecycle";
import { AccountMail } from "./account-mail";
import { UserForm } from "./user-form";
import { describeSecondFactors, UserSecondFactors } from "./user-mfa";
import { UserSessions } from "./user-sessions";

export type AdminUser = RouterOutputs["users"]["byId"];

/** A message for the operator; `null` clears it. Every action clears the last one when it starts. */
export type Notify = (message: string | null) => void;

const route = getRouteApi("/signed-in/users/$id");

export function UserDetailPage() {
  const trpc = useTRPC();
  const { id } = route.useParams();
  const user = useQuery(trpc.users.byId.queryOptions({ id }));
  const [notice, setNotice] = useState<string | null>(null);

  const data = user.data;
  return (
    <Page title={data ? `User ${data.erasedAt ? "(erased)" : data.email}` : "User"}>
      <p>
        <Link to="/users">← Back to users</Link>
      </p>
      {user.isPending ? <p role="status">Loading user…</p> : null}
      <FormAlert message={formErrors(user.error).message} />
      <Notice message={notice} tone="success" />
      {data ? (
        <>
          {data.deletedAt ? <DeletedBanner user={data} /> : null}
          <dl className="summary">
            <dt>Status</dt>
            <dd>
              <StatusBadge user={data} />
            </dd>
            <dt>Name</dt>
            <dd>{data.fullName ?? "—"}</dd>
            <dt>Created</dt>
            <dd>{formatDate(data.createdAt)}</dd>
            <dt>Last sign-in</dt>
            <dd>{data.lastLogin ? formatDate(data.lastLogin) : "Never"}</dd>
            <dt>Second factors</dt>
            <dd>{describeSecondFactors(data.mfa)}</dd>
            <dt>Nextcloud account</dt>
            <dd>{describeProvisioning(data.provisioning)}</dd>
            <dt>User ID</dt>
            <dd>
              <code>{data.id}</code>
            </dd>
            <dt>Email verified</dt>
            <dd>{data.emailVerifiedAt ? formatDate(data.emailVerifiedAt) : "Not yet"}</dd>
          </dl>
          <p>
            <Link to="/audit" search={{ userId: data.id }}>
              View this user's audit events
            </Link>
          </p>
          {data.erasedAt ? null : (
            <>
              {/* Keyed by updatedAt so the form's initial values follow every saved change. */}
              <UserForm key={data.updatedAt.toISOString()} user={data} notify={setNotice} />
              <AccountMail user={data} />
              <UserSecondFactors user={data} notify={setNotice} />
              <UserSessions user={data} notify={setNotice} />
            </>
          )}
          <AccountLifecycle user={data} notify={setNotice} />
        </>
      ) : null}
    </Page>
  );
}

function DeletedBanner({ user }: { user: AdminUser }) {
  if (user.erasedAt) {
    return (
      <p className="alert alert-warning banner">
        This account was deleted on {formatDate(user.deletedAt)} and its personal data erased on {formatDate(user.erasedAt)}. Only its id
        remains, in the audit log.
      </p>
    );
  }
  return (
    <p className="alert alert-warning banner">
      <strong>Deleted</strong> on {formatDate(user.deletedAt)}. The account cannot sign in. Restore it to let the user back in, or erase its
      personal data for good.
    </p>
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
