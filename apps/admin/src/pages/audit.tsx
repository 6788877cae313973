import type { FormEvent } from "react";

import { AUDIT_ACTIONS } from "@voiceassist/shared";
import { errorMessage, fieldErrors, type RouterInputs, type RouterOutputs } from "@voiceassist/client";
import { Field, FormAlert, navigate, Page, text, useQuery } from "@voiceassist/ui";

import { api } from "../api";
import { formatDate, offsetFrom, toQuery } from "../ui/format";
import { Pager } from "../ui/pager";

type AuditEvent = RouterOutputs["audit"]["list"]["items"][number];

const PAGE_SIZE = 50;
/** Offered as suggestions; the field accepts any action name. */
const KNOWN_ACTIONS = AUDIT_ACTIONS;

export function AuditPage({ query }: { query: URLSearchParams }) {
  const userId = query.get("userId") ?? "";
  const action = query.get("action") ?? "";
  const offset = offsetFrom(query.get("offset"));
  const input: RouterInputs["audit"]["list"] = { userId: userId || undefined, action: action || undefined, limit: PAGE_SIZE, offset };
  // Errors are kept whole here, so a malformed user id can be shown next to its field.
  const list = useQuery(() => api.audit.list.query(input).catch((error: unknown) => ({ failed: error })), JSON.stringify(input));
  const failed = list.data && "failed" in list.data ? list.data.failed : null;
  const data = list.data && "items" in list.data ? list.data : null;

  const go = (next: { userId?: string; action?: string; offset?: number }) =>
    navigate(`/audit${toQuery({ userId, action, ...next, offset: next.offset ?? 0 })}`);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    go({ userId: text(form, "userId").trim(), action: text(form, "action").trim() });
  }

  return (
    <Page title="Audit log">
      <form role="search" aria-label="Filter audit events" className="filters" onSubmit={onSubmit} key={`${userId}|${action}`}>
        <Field label="User ID" name="userId" defaultValue={userId} hint="Events where this user acted or was acted on." errors={failed ? fieldErrors(failed).userId : undefined} />
        <Field label="Action" name="action" list="known-actions" defaultValue={action} errors={failed ? fieldErrors(failed).action : undefined} />
        <datalist id="known-actions">
          {KNOWN_ACTIONS.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <button type="submit">Apply filters</button>
      </form>
      <FormAlert message={list.error ?? (failed ? errorMessage(failed) : null)} />
      <p role="status" className="total">
        {list.loading ? "Loading events…" : data ? `${data.total} ${data.total === 1 ? "event" : "events"} found` : ""}
      </p>
      {data && data.items.length > 0 ? <AuditTable events={data.items} /> : null}
      {data ? <Pager label="Audit events" total={data.total} offset={offset} limit={PAGE_SIZE} onOffset={(next) => go({ offset: next })} /> : null}
    </Page>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
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
  );
}

/** Ids are long; show the start and name the whole id for assistive technology. */
const UserLink = ({ id }: { id: string }) => (
  <a href={`#/users/${id}`} aria-label={`User ${id}`} title={id}>
    {id.slice(0, 8)}…
  </a>
);
