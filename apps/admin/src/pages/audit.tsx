import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { FormEvent } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { AUDIT_ACTIONS } from "@voiceassist/shared";
import { Field, FormAlert, formErrors, Page, text, useTRPC } from "@voiceassist/ui";

import type { AuditSearch } from "../search";
import { formatDate } from "../ui/format";
import { Pager } from "../ui/pager";
import { TableScroll } from "../ui/table-scroll";

type AuditEvent = RouterOutputs["audit"]["list"]["items"][number];

const PAGE_SIZE = 50;
const route = getRouteApi("/signed-in/audit");

export function AuditPage() {
  const trpc = useTRPC();
  const { userId, action, offset = 0 } = route.useSearch();
  const navigate = route.useNavigate();
  const list = useQuery(trpc.audit.list.queryOptions({ userId, action, limit: PAGE_SIZE, offset }));
  // A malformed user id comes back as a field error, shown next to its field.
  const errors = formErrors(list.error);

  const go = (next: AuditSearch) => void navigate({ search: { userId, action, ...next } });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    go({ userId: text(form, "userId").trim() || undefined, action: text(form, "action").trim() || undefined, offset: undefined });
  }

  const data = list.data;
  return (
    <Page title="Audit log">
      <search aria-label="Filter audit events">
        <form className="filters" onSubmit={onSubmit} key={`${userId}|${action}`}>
          <Field
            label="User ID"
            name="userId"
            defaultValue={userId ?? ""}
            hint="Events where this user acted or was acted on."
            errors={errors.fields.userId}
          />
          <Field label="Action" name="action" list="known-actions" defaultValue={action ?? ""} errors={errors.fields.action} />
          <datalist id="known-actions">
            {AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit">Apply filters</button>
        </form>
      </search>
      <FormAlert message={errors.message} />
      <p role="status" className="total">
        {list.isFetching && !data ? "Loading events…" : data ? `${data.total} ${data.total === 1 ? "event" : "events"} found` : ""}
      </p>
      {data && data.items.length > 0 ? <AuditTable events={data.items} /> : null}
      {data ? (
        <Pager label="Audit events" total={data.total} offset={offset} limit={PAGE_SIZE} onOffset={(next) => go({ offset: next })} />
      ) : null}
    </Page>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <TableScroll label="Audit events table">
      <table>
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">IP</th>
            <th scope="col">Request ID</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatDate(event.at)}</td>
              <td>
                <code>{event.action}</code>
              </td>
              <td className={event.outcome === "failure" ? "failure" : undefined}>{event.outcome}</td>
              <td>{event.actorId ? <UserLink id={event.actorId} /> : "—"}</td>
              <td>{event.targetUserId ? <UserLink id={event.targetUserId} /> : "—"}</td>
              <td>{event.ip ?? "—"}</td>
              <td>
                <code>{event.requestId ?? "—"}</code>
              </td>
              <td>
                <code className="detail">{event.detail ? JSON.stringify(event.detail) : "—"}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Ids are long; show the start and name the whole id for assistive technology. */
const UserLink = ({ id }: { id: string }) => (
  <Link to="/users/$id" params={{ id }} aria-label={`User ${id}`} title={id}>
    {id.slice(0, 8)}…
  </Link>
);
