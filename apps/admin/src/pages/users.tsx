import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, navigate, Page, text, useQuery } from "@voiceassist/ui";

import { api } from "../api";
import { formatDate, offsetFrom, toQuery } from "../ui/format";
import { Pager } from "../ui/pager";

const PAGE_SIZE = 20;
type Status = "all" | "active" | "inactive";
const ACTIVE_BY_STATUS: Record<Status, boolean | undefined> = { all: undefined, active: true, inactive: false };

/** Filters live in the address (#/users?search=…&status=…&offset=…) so "back" from a user keeps them. */
export function UsersPage({ query }: { query: URLSearchParams }) {
  const search = query.get("search") ?? "";
  const rawStatus = query.get("status");
  const status: Status = rawStatus === "active" || rawStatus === "inactive" ? rawStatus : "all";
  const offset = offsetFrom(query.get("offset"));
  const input: RouterInputs["users"]["list"] = { search: search || undefined, isActive: ACTIVE_BY_STATUS[status], limit: PAGE_SIZE, offset };
  const list = useQuery(() => api.users.list.query(input), JSON.stringify(input));

  const go = (next: { search?: string; status?: Status; offset?: number }) =>
    navigate(`/users${toQuery({ search, status: status === "all" ? undefined : status, ...next, offset: next.offset ?? 0 })}`);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const nextStatus = text(form, "status");
    go({ search: text(form, "search").trim(), status: nextStatus === "active" || nextStatus === "inactive" ? nextStatus : undefined });
  }

  const data = list.data;
  return (
    <Page title="Users">
      <form role="search" aria-label="Filter users" className="filters" onSubmit={onSubmit} key={`${search}|${status}`}>
        <Field label="Search email or name" name="search" type="search" defaultValue={search} />
        <div className="field">
          <label htmlFor="status-filter">Status</label>
          <select id="status-filter" name="status" defaultValue={status}>
            <option value="all">All users</option>
            <option value="active">Active only</option>
            <option value="inactive">Inactive only</option>
          </select>
        </div>
        <button type="submit">Apply filters</button>
      </form>
      <FormAlert message={list.error} />
      <p role="status" className="total">
        {list.loading ? "Loading users…" : data ? `${data.total} ${data.total === 1 ? "user" : "users"} found` : ""}
      </p>
      {data && data.items.length > 0 ? (
        <table>
          <caption className="visually-hidden">Users, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((user) => (
              <tr key={user.id}>
                <td>
                  <a href={`#/users/${user.id}`}>{user.email}</a>
                </td>
                <td>{user.fullName ?? "—"}</td>
                <td>{user.isActive ? "Active" : "Inactive"}</td>
                <td>{user.isAdmin ? "Admin" : "User"}</td>
                <td>{formatDate(user.createdAt)}</td>
                <td>{formatDate(user.lastLogin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data ? <Pager label="Users" total={data.total} offset={offset} limit={PAGE_SIZE} onOffset={(next) => go({ offset: next })} /> : null}
    </Page>
  );
}
