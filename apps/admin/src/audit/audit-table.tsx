import { Link } from "@tanstack/react-router";

import type { RouterOutputs } from "@voiceassist/client";

import { formatDate } from "../ui/format";
import { TableScroll } from "../ui/table-scroll";
import { actionInWords } from "./action-words";
import { detailFields } from "./detail-fields";

type AuditEvent = RouterOutputs["audit"]["list"]["items"][number];

/** Events newest first: who did what to whom in words; ids, addresses and the detail behind "Details". */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  return (
    <TableScroll label="Audit events table">
      <table className="stack audit">
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">By</th>
            <th scope="col">On</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td data-label="Time">{formatDate(event.at)}</td>
              <td data-label="Action">{actionInWords(event.action, event.outcome)}</td>
              <td data-label="Outcome" className={event.outcome === "failure" ? "failure" : undefined}>
                {event.outcome === "failure" ? "Failed" : "Succeeded"}
              </td>
              <td data-label="By">
                <Person id={event.actorId} name={event.actorName} email={event.actorEmail} none={event.actorId ? "" : "Not signed in"} />
              </td>
              <td data-label="On">
                <Person id={event.targetUserId} name={event.targetName} email={event.targetEmail} none="—" />
              </td>
              <td data-label="Details">
                <EventDetails event={event} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** A user by name and email, linked to their page; an erased user shows as such, not as a placeholder address. */
function Person({ id, name, email, none }: { id: string | null; name: string | null; email: string | null; none: string }) {
  if (!id) return <span className="muted">{none}</span>;
  const erased = email?.endsWith("@erased.invalid");
  return (
    <Link to="/users/$id" params={{ id }} className="person">
      {erased ? (
        <span>Erased user</span>
      ) : (
        <>
          {name ? <span className="person-name">{name}</span> : null}
          <span className="person-email">{email ?? "Unknown user"}</span>
        </>
      )}
    </Link>
  );
}

/** What the event recorded, as labelled fields; the request id ties it to the server's log lines. */
function EventDetails({ event }: { event: AuditEvent }) {
  const fields = detailFields(event.detail);
  return (
    <details>
      <summary>
        Details
        <span className="visually-hidden">
          {" "}
          of {actionInWords(event.action, event.outcome)} at {formatDate(event.at)}
        </span>
      </summary>
      <dl className="detail-fields">
        {fields.map((field) => (
          <div key={field.label}>
            <dt>{field.label}</dt>
            <dd>{field.value}</dd>
          </div>
        ))}
        <div>
          <dt>IP address</dt>
          <dd>{event.ip ?? "—"}</dd>
        </div>
        <div>
          <dt>Browser</dt>
          <dd>{event.userAgent ?? "—"}</dd>
        </div>
        <div>
          <dt>Request ID</dt>
          <dd>
            <code>{event.requestId ?? "—"}</code>
          </dd>
        </div>
        <div>
          <dt>Action name</dt>
          <dd>
            <code>{event.action}</code>
          </dd>
        </div>
      </dl>
    </details>
  );
}
