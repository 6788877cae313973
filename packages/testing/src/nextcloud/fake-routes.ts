import { randomUUID } from "node:crypto";
import type { BruteForceThrottle } from "./fake-bruteforce";
import { editUser, takeEditSlot } from "./fake-edit-user";
import type { EditLimit } from "./fake-edit-user";
import { checkDisplayName, checkPasswordPolicy, findUser, hashPassword, userDetails, validateUserId } from "./fake-users";
import type { FakeMail, FakeUser, Rejection } from "./fake-users";
import { appOcs, jsonResponse, legacyOcs } from "./ocs-responses";
import type { FakeResponse, OcsRequestInfo, OcsResult } from "./ocs-responses";

export interface FakeState {
  users: Map<string, FakeUser>;
  dataDirectory: string;
  version: string;
  requireEmail: boolean;
  failNextCreateAfterCreating: boolean;
  mails: FakeMail[];
  editLimit: EditLimit;
  throttle: BruteForceThrottle;
}

export interface OcsContext {
  method: string;
  /** Decoded path segments below /ocs/vN.php/. */
  segments: string[];
  info: OcsRequestInfo;
  form: Record<string, string>;
  login: FakeUser | undefined;
  ocsApiRequest: boolean;
  acceptsHtml: boolean;
  clientIp: string;
  state: FakeState;
}

type Handler = (ctx: OcsContext, login: FakeUser, target: string) => FakeResponse;
interface Route {
  handler: Handler | ((ctx: OcsContext) => FakeResponse);
  public?: boolean;
  subAdminRequired?: boolean;
  /** UserRateThrottle(limit=50, period=600), checked after the CSRF check like RateLimitingMiddleware. */
  rateLimited?: boolean;
}

const INVALID_QUERY =
  "Invalid query, please check the syntax. API specifications are here: http://www.freedesktop.org/wiki/Specifications/open-collaboration-services.\n";

/** Symfony routing, then SecurityMiddleware (login, admin, CSRF), then the controller. */
export function handleOcs(ctx: OcsContext): FakeResponse {
  const { info } = ctx;
  const routes = routesFor(ctx.segments);
  if (!routes) return legacyOcs(info, info.legacyFormat, 998, INVALID_QUERY);
  const route = routes[ctx.method];
  if (!route) return { ...legacyOcs(info, info.legacyFormat, 998, ""), status: 405, body: "" };
  if (route.public) return (route.handler as (ctx: OcsContext) => FakeResponse)(ctx);
  const login = ctx.login;
  if (!login) return appOcs(info, { code: 997, message: "Current user is not logged in" });
  if (route.subAdminRequired && !login.isAdmin) {
    return appOcs(info, { code: 403, message: "Logged in account must be at least a sub admin" });
  }
  if (!ctx.ocsApiRequest) {
    return ctx.acceptsHtml
      ? { status: 412, headers: { "Content-Type": "text/html; charset=UTF-8" }, body: "<!DOCTYPE html>\n<p>CSRF check failed</p>\n" }
      : jsonResponse(412, { message: "CSRF check failed" });
  }
  if (route.rateLimited && !takeEditSlot(ctx.state.editLimit, login.id)) {
    return { status: 429, headers: { "Content-Type": "text/html; charset=UTF-8" }, body: "" };
  }
  return route.handler(ctx, login, ctx.segments[2] ?? "");
}

function routesFor(s: string[]): Record<string, Route> | undefined {
  if (s[0] !== "cloud" || s.includes("")) return undefined;
  if (s.length === 2 && s[1] === "capabilities") return { GET: { handler: capabilities, public: true } };
  if (s[1] !== "users") return undefined;
  if (s.length === 2) return { GET: { handler: listUsers, subAdminRequired: true }, POST: { handler: createUser, subAdminRequired: true } };
  if (s.length === 3) {
    return { GET: { handler: getUser }, PUT: { handler: editUser, rateLimited: true }, DELETE: { handler: deleteUser } };
  }
  if (s.length === 4 && (s[3] === "enable" || s[3] === "disable")) return { PUT: { handler: setEnabled } };
  return undefined;
}

const ok = (ctx: OcsContext, data?: unknown) => appOcs(ctx.info, { data });
const fail = (ctx: OcsContext, r: Rejection | OcsResult) => appOcs(ctx.info, r);

function createUser(ctx: OcsContext): FakeResponse {
  const { state, form } = ctx;
  const userid = form.userid ?? "";
  const email = form.email ?? "";
  let password = form.password ?? "";
  let generated = false;
  if (findUser(state.users, userid)) return fail(ctx, { code: 102, message: "User already exists" });
  if (password.length > 469) return fail(ctx, { code: 101, message: "Invalid password value" });
  if (password === "") {
    if (email === "") return fail(ctx, { code: 108, message: "To send a password link to the user an email address is required." });
    password = `${randomUUID()}-Aa1!`;
    generated = true;
  }
  if (email === "" && state.requireEmail) return fail(ctx, { code: 110, message: "Required email address was not provided" });
  const rejected =
    validateUserId(userid) ??
    (password.trim() === "" ? { code: 101, message: "A valid password must be provided" } : checkPasswordPolicy(password));
  if (rejected) return fail(ctx, rejected);
  // createUser stores the bare account first; display name and email are later, separate steps.
  const user: FakeUser = {
    id: userid,
    displayName: userid,
    email: null,
    enabled: true,
    isAdmin: false,
    passwordHash: hashPassword(password),
  };
  state.users.set(userid, user);
  const displayName = checkDisplayName(form.displayName ?? "");
  if (displayName && "code" in displayName) {
    // addUser deletes the account when editUser(display) throws an OCSException.
    state.users.delete(userid);
    return fail(ctx, displayName);
  }
  if (state.failNextCreateAfterCreating) {
    // Like the avatar listener of setDisplayName throwing an Error: ocs/v1.php's catch-all answers 996,
    // and the account stays half made (display name = id, no email, no mail sent).
    state.failNextCreateAfterCreating = false;
    return legacyOcs(ctx.info, ctx.info.legacyFormat, 996, "Internal Server Error\n");
  }
  if (displayName) user.displayName = displayName.value;
  if (email !== "") {
    user.email = email;
    // newUser.sendEmail defaults to yes; a generated password means the mail carries the set-password link.
    state.mails.push({ userId: userid, to: email, kind: generated ? "set-password" : "welcome" });
  }
  return ok(ctx, { id: userid });
}

function getUser(ctx: OcsContext, login: FakeUser, id: string): FakeResponse {
  const target = findUser(ctx.state.users, id);
  if (!target) return fail(ctx, { code: 404, message: "User does not exist" });
  if (!login.isAdmin && target !== login) return fail(ctx, { code: 998 });
  const details = userDetails(target, ctx.state.dataDirectory);
  if (!login.isAdmin) delete details.enabled;
  return ok(ctx, details);
}

function deleteUser(ctx: OcsContext, login: FakeUser, id: string): FakeResponse {
  const target = findUser(ctx.state.users, id);
  if (!target) return fail(ctx, { code: 998 });
  if (target === login) return fail(ctx, { code: 101 });
  if (!login.isAdmin) return fail(ctx, { code: 998 });
  ctx.state.users.delete(target.id);
  return ok(ctx);
}

function setEnabled(ctx: OcsContext, login: FakeUser, id: string): FakeResponse {
  const target = findUser(ctx.state.users, id);
  if (!target || target === login) return fail(ctx, { code: 101 });
  if (!login.isAdmin) return fail(ctx, { code: 998 });
  target.enabled = ctx.segments[3] === "enable";
  return ok(ctx);
}

function listUsers(ctx: OcsContext): FakeResponse {
  const ids = [...ctx.state.users.keys()].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
  return ok(ctx, { users: ids });
}

function capabilities(ctx: OcsContext): FakeResponse {
  const [major = 0, minor = 0, micro = 0] = ctx.state.version.split(".").map(Number);
  const theming = { name: "Nextcloud", url: "https://nextcloud.com", slogan: "a safe home for all your data" };
  const delay = ctx.state.throttle.delayMs(ctx.clientIp);
  const base = { bruteforce: { delay, "allow-listed": false }, theming };
  const full = {
    core: { pollinterval: 60, "webdav-root": "remote.php/webdav" },
    ...base,
    password_policy: { minLength: 10, enforceNonCommonPassword: true },
    provisioning_api: { version: "1.19.0" },
  };
  const version = { major, minor, micro, string: ctx.state.version, edition: "", extendedSupport: false };
  return ok(ctx, { version, capabilities: ctx.login ? full : base });
}
