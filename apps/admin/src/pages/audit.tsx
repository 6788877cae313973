import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import { AUDIT_ACTIONS } from "@voiceassist/shared";
import { Field, FormAlert, formErrors, Notice, Page, text, useTRPC } from "@voiceassist/ui";

import { ACTION_WORDS } from "../audit/action-words";
import { AuditTable } from "../audit/audit-table";
import type { AuditSearch } from "../search";
import { downloadText } from "../ui/download";
import { Pager } from "../ui/pager";

const PAGE_SIZE = 50;
const route = getRouteApi("/signed-in/audit");

/** The day's first and last millisecond in the operator's time zone, as the server's inclusive bounds. */
const startOfDay = (day: string | undefined) => (day ? new Date(`${day}T00:00:00`) : undefined);
const endOfDay = (day: string | undefined) => (day ? new Date(`${day}T23:59:59.999`) : undefined);

export function AuditPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const { userId, user, action, outcome, from, to, offset = 0 } = search;
  const navigate = route.useNavigate();
  const filter = { userId, userSearch: user, action, outcome, from: startOfDay(from), to: endOfDay(to) };
  const list = useQuery(trpc.audit.list.queryOptions({ ...filter, limit: PAGE_SIZE, offset }));
  // A malformed user id or a reversed date range comes back as a field error, shown next to its field.
  const errors = formErrors(list.error);
  const [exportState, setExportState] = useState<{ busy: boolean; message: string | null; error: unknown }>({
    busy: false,
    message: null,
    error: null,
  });

  const go = (next: AuditSearch) => {
    setExportState({ busy: false, message: null, error: null });
    void navigate({ search: (current) => ({ ...current, ...next }) });
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => text(form, name).trim() || undefined;
    const nextOutcome = value("outcome");
    go({
      userId: value("userId"),
      user: value("user"),
      action: value("action"),
      outcome: nextOutcome === "success" || nextOutcome === "failure" ? nextOutcome : undefined,
      from: value("from"),
      to: value("to"),
      offset: undefined,
    });
  }

  async function downloadCsv() {
    setExportState({ busy: true, message: null, error: null });
    try {
      const file = await queryClient.fetchQuery({ ...trpc.audit.export.queryOptions(filter), staleTime: 0 });
      downloadText(file.filename, file.csv, "text/csv;charset=utf-8");
      const count = `${file.rows} ${file.rows === 1 ? "event" : "events"}`;
      setExportState({
        busy: false,
        error: null,
        message: file.truncated ? `Downloaded the newest ${count}; more matched. Narrow the dates for the rest.` : `Downloaded ${count}.`,
      });
    } catch (error) {
      setExportState({ busy: false, message: null, error });
    }
  }

  const data = list.data;
  return (
    <Page title="Audit log">
      <search aria-label="Filter audit events">
        <form className="filters" onSubmit={onSubmit} key={JSON.stringify(search)}>
          <Field
            label="User (email or name)"
            name="user"
            type="search"
            defaultValue={user ?? ""}
            hint="Events where a matching user acted or was acted on."
            errors={errors.fields.userSearch}
          />
          <div className="field">
            <label htmlFor="action-filter">Action</label>
            <select id="action-filter" name="action" defaultValue={action ?? ""}>
              <option value="">Any action</option>
              {AUDIT_ACTIONS.map((name) => (
                <option key={name} value={name}>
                  {ACTION_WORDS[name]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="outcome-filter">Outcome</label>
            <select id="outcome-filter" name="outcome" defaultValue={outcome ?? ""}>
              <option value="">Any outcome</option>
              <option value="success">Succeeded</option>
              <option value="failure">Failed or refused</option>
            </select>
          </div>
          <Field label="From" name="from" type="date" defaultValue={from ?? ""} errors={errors.fields.from} className="date" />
          <Field label="To" name="to" type="date" defaultValue={to ?? ""} errors={errors.fields.to} className="date" />
          {userId ? <input type="hidden" name="userId" value={userId} /> : null}
          <div className="actions">
            <button type="submit">Apply filters</button>
            <button type="button" className="secondary" onClick={() => void downloadCsv()} disabled={exportState.busy}>
              {exportState.busy ? "Preparing CSV…" : "Download CSV"}
            </button>
          </div>
        </form>
      </search>
      {userId ? (
        <p className="scope">
          Showing the events of one user.{" "}
          <Link to="/audit" search={(current) => ({ ...current, userId: undefined, offset: undefined })}>
            Show everyone's events
          </Link>
        </p>
      ) : null}
      <FormAlert message={errors.message ?? formErrors(exportState.error).message} />
      <Notice message={exportState.message} tone="success" />
      <p role="status" className="total">
        {list.isFetching && !data ? "Loading events…" : data ? `${data.total} ${data.total === 1 ? "event" : "events"} found` : ""}
      </p>
      {data && data.items.length > 0 ? <AuditTable events={data.items} /> : null}
      {data && data.total === 0 ? <p className="empty">No events match these filters.</p> : null}
      {data ? (
        <Pager label="Audit events" total={data.total} offset={offset} limit={PAGE_SIZE} onOffset={(next) => go({ offset: next })} />
      ) : null}
    </Page>
  );
}
