import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { FormEvent } from "react";

import { Field, FormAlert, formErrors, Page, text, useTRPC } from "@voiceassist/ui";

import { USER_STATUSES, type UserSort, type UsersSearch } from "../search";
import { formatDate } from "../ui/format";
import { Pager } from "../ui/pager";
import { SortHeader } from "../ui/sort-header";
import { TableScroll } from "../ui/table-scroll";
import { StatusBadge } from "../user-status";
import { InviteUser } from "./invite-user";
import { NextcloudPanel } from "./nextcloud-panel";

export const USERS_PAGE_SIZE = 20;
const route = getRouteApi("/signed-in/users");

const STATUS_LABELS: Record<(typeof USER_STATUSES)[number], string> = {
  active: "Active",
  inactive: "Deactivated",
  invited: "Invited",
  deleted: "Deleted",
};

const SORT_WORDS: Record<UserSort, Record<"asc" | "desc", string>> = {
  createdAt: { desc: "newest first", asc: "oldest first" },
  email: { asc: "by email, A to Z", desc: "by email, Z to A" },
  lastLogin: { desc: "most recent sign-in first", asc: "least recent sign-in first" },
};

/** Filters and order live in the address (/users?search=…&status=…&sort=…) so "back" from a user keeps them. */
export function UsersPage() {
  const trpc = useTRPC();
  const { search, status, sort = "createdAt", order = "desc", offset = 0 } = route.useSearch();
  const navigate = route.useNavigate();
  const input = { search, status, sort, order, limit: USERS_PAGE_SIZE, offset };
  const list = useQuery(trpc.users.list.queryOptions(input));

  const go = (next: UsersSearch) => void navigate({ search: (current) => ({ ...current, ...next }) });
  const onSort = (column: UserSort, nextOrder: "asc" | "desc") =>
    go({
      sort: column === "createdAt" ? undefined : column,
      order: nextOrder === "desc" && column !== "email" ? undefined : nextOrder,
      offset: undefined,
    });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const nextStatus = USER_STATUSES.find((value) => value === text(form, "status"));
    go({ search: text(form, "search").trim() || undefined, status: nextStatus, offset: undefined });
  }

  const data = list.data;
  const filtered = Boolean(search || status);
  const header = (label: string, column: UserSort) => (
    <SortHeader label={label} column={column} sort={sort} order={order} firstOrder={column === "email" ? "asc" : "desc"} onSort={onSort} />
  );
  return (
    <Page title="Users">
      <InviteUser />
      <search aria-label="Filter users">
        <form className="filters" onSubmit={onSubmit} key={`${search}|${status}`}>
          <Field label="Search email or name" name="search" type="search" defaultValue={search ?? ""} />
          <div className="field">
            <label htmlFor="status-filter">Status</label>
            <select id="status-filter" name="status" defaultValue={status ?? "all"}>
              <option value="all">All users</option>
              {USER_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {STATUS_LABELS[value]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Apply filters</button>
        </form>
      </search>
      <FormAlert message={formErrors(list.error).message} />
      <NextcloudPanel />
      <p role="status" className="total">
        {list.isFetching && !data ? "Loading users…" : data ? `${data.total} ${data.total === 1 ? "user" : "users"} found` : ""}
      </p>
      {data && data.items.length > 0 ? (
        <TableScroll label="Users table">
          <table className="stack">
            <caption className="visually-hidden">Users, {SORT_WORDS[sort][order]}</caption>
            <thead>
              <tr>
                {header("Email", "email")}
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                {header("Created", "createdAt")}
                {header("Last sign-in", "lastLogin")}
              </tr>
            </thead>
            <tbody>
              {data.items.map((user) => (
                <tr key={user.id}>
                  <td data-label="Email">
                    <Link to="/users/$id" params={{ id: user.id }}>
                      {user.email}
                    </Link>
                  </td>
                  <td data-label="Name">{user.fullName ?? "—"}</td>
                  <td data-label="Status">
                    <StatusBadge user={user} />
                  </td>
                  <td data-label="Role">{user.isAdmin ? "Admin" : "User"}</td>
                  <td data-label="Created">{formatDate(user.createdAt)}</td>
                  <td data-label="Last sign-in">{user.lastLogin ? formatDate(user.lastLogin) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {data && data.total === 0 ? (
        <div className="empty">
          <p>{filtered ? "No users match these filters." : "There are no users yet."}</p>
          {filtered ? (
            <p>
              <Link to="/users" search={{}}>
                Show all users
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {data ? (
        <Pager label="Users" total={data.total} offset={offset} limit={USERS_PAGE_SIZE} onOffset={(next) => go({ offset: next })} />
      ) : null}
    </Page>
  );
}
