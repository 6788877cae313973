import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { FormEvent } from "react";

import { Field, FormAlert, formErrors, Page, text, useTRPC } from "@voiceassist/ui";

import type { UsersSearch } from "../search";
import { formatDate } from "../ui/format";
import { Pager } from "../ui/pager";
import { TableScroll } from "../ui/table-scroll";
import { userStatus } from "../ui/user-status";
import { InviteUser } from "./invite-user";
import { NextcloudPanel } from "./nextcloud-panel";

export const USERS_PAGE_SIZE = 20;
const ACTIVE_BY_STATUS = { active: true, inactive: false } as const;
const route = getRouteApi("/signed-in/users");

/** Filters live in the address (/users?search=…&status=…&offset=…) so "back" from a user keeps them. */
export function UsersPage() {
  const trpc = useTRPC();
  const { search, status, offset = 0 } = route.useSearch();
  const navigate = route.useNavigate();
  const input = { search, isActive: status ? ACTIVE_BY_STATUS[status] : undefined, limit: USERS_PAGE_SIZE, offset };
  const list = useQuery(trpc.users.list.queryOptions(input));

  const go = (next: UsersSearch) => void navigate({ search: { search, status, ...next } });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const nextStatus = text(form, "status");
    go({
      search: text(form, "search").trim() || undefined,
      status: nextStatus === "active" || nextStatus === "inactive" ? nextStatus : undefined,
      offset: undefined,
    });
  }

  const data = list.data;
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
              <option value="active">Active only</option>
              <option value="inactive">Inactive only</option>
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
                    <Link to="/users/$id" params={{ id: user.id }}>
                      {user.email}
                    </Link>
                  </td>
                  <td>{user.fullName ?? "—"}</td>
                  <td>{userStatus(user)}</td>
                  <td>{user.isAdmin ? "Admin" : "User"}</td>
                  <td>{formatDate(user.createdAt)}</td>
                  <td>{formatDate(user.lastLogin)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {data ? (
        <Pager label="Users" total={data.total} offset={offset} limit={USERS_PAGE_SIZE} onOffset={(next) => go({ offset: next })} />
      ) : null}
    </Page>
  );
}
