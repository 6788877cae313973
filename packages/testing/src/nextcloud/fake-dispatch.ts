import type { IncomingMessage } from "node:http";
import { handleOcs } from "./fake-routes";
import type { FakeState } from "./fake-routes";
import type { FakeUser } from "./fake-users";
import { htmlPage, jsonResponse, legacyOcs } from "./ocs-responses";
import type { FakeResponse, OcsFormat, OcsRequestInfo } from "./ocs-responses";

export type FakeMode =
  | "ok"
  /** Listener closed: connection refused. */
  | "down"
  /** Answers normally, after the delay set with setDelay. */
  | "slow"
  /** PHP fatal error page, HTTP 500 text/html. */
  | "html500"
  /** A reverse proxy / SSO login page answering HTTP 200 text/html. */
  | "proxy_html"
  | "maintenance"
  | "needs_upgrade"
  | "not_installed";

export interface DispatchInput {
  req: IncomingMessage;
  url: URL;
  form: Record<string, string>;
  /** undefined: no credentials; "invalid": credentials that do not log in; "throttled": MaxDelayReached. */
  login: FakeUser | "invalid" | "throttled" | undefined;
  mode: FakeMode;
  state: FakeState;
}

/** Whether base.php gets as far as handleLogin (and so the brute-force throttle) for this request. */
export function reachesLogin(mode: FakeMode, pathname: string): boolean {
  return (mode === "ok" || mode === "slow") && /^\/ocs\/v[12]\.php(\/|$)/.test(pathname);
}

export function respondTo(input: DispatchInput): FakeResponse {
  const { url, mode, state } = input;
  if (mode === "html500") {
    return htmlPage(500, "Internal Server Error", "The server was unable to complete your request.");
  }
  if (mode === "proxy_html") return htmlPage(200, "Sign in", "Please sign in to continue to this site.");
  if (url.pathname === "/status.php") return statusPhp(mode, state.version);
  const ocs = /^\/ocs\/v([12])\.php(\/.*)?$/.exec(url.pathname);
  if (mode === "not_installed") {
    // base.php: checkInstalled() redirects everything but index.php and status.php to the installer.
    if (url.pathname === "/index.php" || url.pathname === "/") return htmlPage(200, "Nextcloud", "Create an admin account");
    return { status: 302, headers: { Location: "/index.php", "Content-Type": "text/html; charset=UTF-8" }, body: "" };
  }
  if (!ocs) return htmlPage(404, "File not found", "The specified document has not been found on the server.");
  const info = requestInfo(input, ocs[1] === "2" ? 2 : 1);
  if (mode === "maintenance" || mode === "needs_upgrade") {
    return legacyOcs(info, info.legacyFormat, 503, "Service unavailable", {
      status: 503,
      headers: { "X-Nextcloud-Maintenance-Mode": "1" },
    });
  }
  // handleLogin runs before routing, so a bad password wins over everything, always as XML;
  // MaxDelayReached leaves through the same ApiHelper::respond (v1 HTTP 200, v2 HTTP 429).
  if (input.login === "invalid") return legacyOcs(info, "xml", 997, "Unauthorised");
  if (input.login === "throttled") return legacyOcs(info, "xml", 429, "Reached maximum delay");
  const segments = decodeSegments(ocs[2] ?? "");
  if (!segments) return legacyOcs(info, info.legacyFormat, 998, "");
  return handleOcs({
    method: input.req.method ?? "GET",
    segments,
    info,
    form: input.form,
    login: input.login,
    ocsApiRequest: input.req.headers["ocs-apirequest"] === "true",
    acceptsHtml: /html/i.test(input.req.headers.accept ?? ""),
    clientIp: input.req.socket.remoteAddress ?? "",
    state,
  });
}

function statusPhp(mode: FakeMode, version: string): FakeResponse {
  const status = {
    installed: mode !== "not_installed",
    maintenance: mode === "maintenance",
    needsDbUpgrade: mode === "needs_upgrade",
    version: `${version}.1`,
    versionstring: version,
    edition: "",
    productname: "Nextcloud",
    extendedSupport: false,
  };
  return jsonResponse(200, status, "application/json");
}

function requestInfo(input: DispatchInput, version: 1 | 2): OcsRequestInfo {
  const param = input.url.searchParams.get("format") ?? input.form.format;
  const legacyFormat: OcsFormat = input.url.searchParams.get("format") === "json" ? "json" : "xml";
  let appFormat: OcsFormat;
  if (param === "json" || param === "xml") appFormat = param;
  else appFormat = responderFromAccept(input.req.headers.accept ?? "");
  return { version, appFormat, legacyFormat };
}

// Controller::getResponderByHTTPHeader: first "application/<responder>" entry wins, default xml.
function responderFromAccept(accept: string): OcsFormat {
  for (const part of accept.split(",")) {
    const responder = part.trim().toLowerCase().replace("application/", "");
    if (responder === "json" || responder === "xml") return responder;
  }
  return "xml";
}

// Empty segments are kept: Symfony routing does not match "/cloud/users/" to "/cloud/users".
function decodeSegments(rest: string): string[] | undefined {
  try {
    return rest
      .split("/")
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
