import { NextcloudError } from "./errors";
import type { NextcloudErrorKind, Redactor } from "./errors";
import { asRecord, isOcsSuccess, parseBody } from "./ocs";

/** One HTTP answer, body already read as text. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface InterpretContext {
  operation: string;
  redact: Redactor;
  /** Per-call overrides, e.g. enable/disable answer 101 for a missing user. */
  kindOverrides?: Partial<Record<number, NextcloudErrorKind>>;
  fallbackMessages?: Partial<Record<number, string>>;
}

/** Failure codes of the provisioning API (NC 29 UsersController::addUser and friends). */
export function kindForStatuscode(statuscode: number): NextcloudErrorKind | undefined {
  switch (statuscode) {
    case 102:
      return "user_exists";
    case 101:
    case 103:
    case 104:
    case 105:
    case 106:
    case 108:
    case 110:
    case 111:
    case 400:
      return "invalid_input";
    case 107:
      return "password_policy";
    case 403:
      return "forbidden";
    case 429:
      return "throttled";
    case 404:
    case 998:
      return "not_found";
    case 401:
    case 997:
      return "unauthorized";
    case 503:
      return "maintenance";
    case 500:
    case 996:
    case 999:
      return "server_error";
    default:
      return undefined;
  }
}

/** Returns `ocs.data` of a successful OCS answer, otherwise throws a typed NextcloudError. */
export function interpretOcsResponse(res: RawResponse, ctx: InterpretContext): unknown {
  const parsed = parseBody(res.body);
  const maintenance = res.headers.get("x-nextcloud-maintenance-mode") === "1";
  if (parsed.type === "ocs") {
    const { statuscode } = parsed.meta;
    // v1 says 200 for nearly everything; v2 and proxies may not, so both must agree.
    if (isOcsSuccess(statuscode) && res.status >= 200 && res.status < 300) return parsed.data;
    const kind = maintenance
      ? "maintenance"
      : (ctx.kindOverrides?.[statuscode] ?? kindForStatuscode(statuscode) ?? kindForHttp(res.status));
    const message =
      parsed.meta.message.trim() || ctx.fallbackMessages?.[statuscode] || `Nextcloud OCS call failed with statuscode ${statuscode}`;
    throw new NextcloudError({
      kind,
      message: ctx.redact(message),
      statuscode,
      httpStatus: res.status,
      operation: ctx.operation,
    });
  }
  const jsonMessage = parsed.type === "json" ? asRecord(parsed.value)?.message : undefined;
  if (res.status === 412) {
    // CSRF middleware: plain `{"message":"CSRF check failed"}`, no OCS envelope.
    const message = typeof jsonMessage === "string" && jsonMessage ? jsonMessage : "Precondition failed";
    throw httpError("precondition_failed", ctx.redact(message), res, ctx);
  }
  if (maintenance) throw httpError("maintenance", "Nextcloud is in maintenance mode", res, ctx);
  const kind = res.status >= 200 && res.status < 300 ? "bad_response" : kindForHttp(res.status);
  const what = kind === "bad_response" ? "a non-OCS answer" : `HTTP ${res.status} without an OCS envelope`;
  throw httpError(kind, `Nextcloud returned ${what} (${describeContentType(res)})`, res, ctx);
}

export function kindForHttp(status: number): NextcloudErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  // The user-edit rate limit answers an empty text/html 429, brute-force protection an OCS 429.
  if (status === 429) return "throttled";
  if (status >= 500) return "server_error";
  return "bad_response";
}

export function httpError(
  kind: NextcloudErrorKind,
  message: string,
  res: RawResponse,
  ctx: Pick<InterpretContext, "operation">,
): NextcloudError {
  return new NextcloudError({ kind, message, httpStatus: res.status, operation: ctx.operation });
}

export function describeContentType(res: RawResponse): string {
  const type = res.headers.get("content-type")?.split(";")[0]?.trim();
  // Server-chosen text, so keep it short and printable.
  return type ? `content-type ${type.replace(/[^\w.+/-]/g, "").slice(0, 60)}` : "no content-type";
}
