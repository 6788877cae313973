import { phpJson, phpXml } from "./php-render";

export type OcsFormat = "json" | "xml";
export type OcsVersion = 1 | 2;

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface OcsRequestInfo {
  version: OcsVersion;
  /** Format of the AppFramework responder (`format` param, else Accept header). */
  appFormat: OcsFormat;
  /** Format of the legacy OC_API path (`format` GET param only). */
  legacyFormat: OcsFormat;
}

export interface OcsResult {
  /** Omit for success (100 on v1, 200 on v2). */
  code?: number;
  message?: string;
  data?: unknown;
}

function render(format: OcsFormat, meta: Record<string, unknown>, data: unknown): string {
  const envelope = { ocs: { meta, data } };
  return format === "json" ? phpJson(envelope) : phpXml("ocs", envelope.ocs);
}

/** V1Response / V2Response: what controllers and the OCS middleware produce. */
export function appOcs(req: OcsRequestInfo, result: OcsResult): FakeResponse {
  const okCode = req.version === 1 ? 100 : 200;
  const code = result.code ?? okCode;
  const ok = code === okCode;
  const meta: Record<string, unknown> = {
    status: ok ? "ok" : "failure",
    statuscode: code,
    message: ok ? "OK" : (result.message ?? ""),
  };
  if (req.version === 1) Object.assign(meta, { totalitems: "", itemsperpage: "" });
  const status = req.version === 1 ? (code === 997 ? 401 : 200) : v2HttpStatus(code);
  const contentType = req.appFormat === "json" ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
  return {
    status,
    headers: { "Content-Type": contentType },
    body: render(req.appFormat, meta, ok ? (result.data ?? []) : []),
  };
}

// V2Response::getStatus (ok stays 200; 998 keeps its code in the body but is HTTP 404).
function v2HttpStatus(code: number): number {
  if (code === 997) return 401;
  if (code === 998) return 404;
  if (code === 996 || code === 999) return 500;
  if (code < 200 || code > 600) return 400;
  return code;
}

/**
 * OC_API::respond: login failures, unknown routes, maintenance and uncaught exceptions.
 * Meta has no totalitems; XML is sent as `Content-type: text/xml`.
 */
export function legacyOcs(
  req: Pick<OcsRequestInfo, "version">,
  format: OcsFormat,
  code: number,
  message: string,
  init: { status?: number; headers?: Record<string, string> } = {},
): FakeResponse {
  const headers: Record<string, string> = { ...init.headers };
  let status = init.status ?? 200;
  let metaCode = code;
  if (code === 997) {
    headers["WWW-Authenticate"] = 'Basic realm="Authorisation Required"';
    status = 401;
  } else if (req.version === 2) {
    metaCode = legacyV2Code(code);
    status = metaCode;
  }
  if (format === "xml") headers["Content-type"] = "text/xml; charset=UTF-8";
  else headers["Content-Type"] = "application/json; charset=utf-8";
  const meta = { status: code === 100 ? "ok" : "failure", statuscode: metaCode, message };
  return { status, headers, body: render(format, meta, []) };
}

// OC_API::mapStatusCodes
function legacyV2Code(code: number): number {
  if (code === 998) return 404;
  if (code === 996 || code === 999) return 500;
  if (code === 100) return 200;
  return code >= 200 && code < 600 ? code : 400;
}

export function htmlPage(status: number, title: string, text: string): FakeResponse {
  const body = `<!DOCTYPE html>\n<html class="ng-csp" data-placeholder-focus="false" lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body id="body-login">\n<div class="guest-box"><h2>${title}</h2><p>${text}</p></div>\n</body>\n</html>\n`;
  return { status, headers: { "Content-Type": "text/html; charset=UTF-8" }, body };
}

export function jsonResponse(status: number, value: unknown, contentType = "application/json; charset=utf-8"): FakeResponse {
  return { status, headers: { "Content-Type": contentType }, body: phpJson(value) };
}
