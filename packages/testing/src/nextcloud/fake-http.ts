import type { IncomingMessage } from "node:http";
import type { FakeMode } from "./fake-dispatch";

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  ocsApiRequest: boolean;
  accept: string | undefined;
  contentType: string | undefined;
  /** Basic-auth user name as sent (never the password). */
  authUser: string | undefined;
  /** Form (or JSON) fields; any `password`, and the `value` of key=password, is replaced by "[redacted]". */
  form: Record<string, string>;
  mode: FakeMode;
}

export interface ReadRequest {
  url: URL;
  form: Record<string, string>;
  auth: { user: string; password: string } | undefined;
  /** What the fake records: everything but passwords. */
  record: FakeRequest;
}

export async function readRequest(req: IncomingMessage, mode: FakeMode): Promise<ReadRequest> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const form = parseFields(req.headers["content-type"] ?? "", raw);
  const auth = parseBasicAuth(req.headers.authorization);
  const record: FakeRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ocsApiRequest: req.headers["ocs-apirequest"] === "true",
    accept: req.headers.accept,
    contentType: req.headers["content-type"],
    authUser: auth?.user,
    form: redact(form),
    mode,
  };
  return { url, form, auth, record };
}

// IRequest merges form and JSON bodies into the controller's parameters, for PUT too.
function parseFields(contentType: string, raw: string): Record<string, string> {
  if (contentType.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  if (!contentType.includes("application/json")) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}

function redact(form: Record<string, string>): Record<string, string> {
  const copy = { ...form };
  if ("password" in copy) copy.password = "[redacted]";
  if (copy.key === "password" && "value" in copy) copy.value = "[redacted]";
  return copy;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
  });
}

/** Authorization: Basic, split at the first colon like PHP_AUTH_USER / PHP_AUTH_PW. */
function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? { user: decoded, password: "" } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
