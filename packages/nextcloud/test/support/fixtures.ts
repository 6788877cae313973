import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Copies of the real Nextcloud 29.0.1 captures (see fixtures/README.md). */
export const FIXTURE_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));

export interface HttpFixture {
  name: string;
  raw: Buffer;
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
  header(name: string): string | undefined;
}

/** Splits a `curl -i` capture: status line, CRLF header block, blank line, body. */
export function parseHttp(name: string, raw: Buffer): HttpFixture {
  const text = raw.toString("utf8");
  const split = text.indexOf("\r\n\r\n");
  if (split < 0) throw new Error(`${name}: no CRLF header terminator`);
  const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3}) (.*)$/.exec(statusLine);
  if (!status?.[1]) throw new Error(`${name}: bad status line ${statusLine}`);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return {
    name,
    raw,
    status: Number(status[1]),
    reason: status[2] ?? "",
    headers,
    body: text.slice(split + 4),
    header: (wanted) => headers.find(([key]) => key.toLowerCase() === wanted.toLowerCase())?.[1],
  };
}

export function loadFixture(name: string): HttpFixture {
  return parseHttp(name, readFileSync(`${FIXTURE_DIR}${name}`));
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".http"))
    .sort();
}

export interface FixtureRow {
  file: string;
  httpStatus: number;
  statuscode: number | undefined;
}

/** The "Files" table of the README: the capture script's own record of each answer. */
export function fixtureTable(): FixtureRow[] {
  const readme = readFileSync(`${FIXTURE_DIR}README.md`, "utf8");
  const rows = [...readme.matchAll(/^\| `([^`]+\.http)` \| (\d{3}) [^|]*\| ([^|]+) \|/gm)];
  return rows.map((m) => ({
    file: m[1] ?? "",
    httpStatus: Number(m[2]),
    statuscode: /^\d+$/.test((m[3] ?? "").trim()) ? Number((m[3] ?? "").trim()) : undefined,
  }));
}

export interface CurlRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  user?: string;
  password?: string;
  form?: URLSearchParams;
}

/** The exact curl command lines listed in the README, keyed by fixture file. */
export function fixtureRequests(): Map<string, CurlRequest> {
  const readme = readFileSync(`${FIXTURE_DIR}README.md`, "utf8");
  const result = new Map<string, CurlRequest>();
  for (const m of readme.matchAll(/^- `([^`]+)`:\s*\n\s+`(curl [^`]+)`/gm)) {
    if (m[1] && m[2]) result.set(m[1], parseCurl(m[2]));
  }
  return result;
}

export function parseCurl(command: string): CurlRequest {
  const args = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
  const request: CurlRequest = { method: "GET", url: new URL("http://invalid/"), headers: {} };
  let explicitMethod: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] ?? "";
    const next = () => args[++i] ?? "";
    if (arg === "-H") {
      const header = next();
      const colon = header.indexOf(":");
      request.headers[header.slice(0, colon)] = header.slice(colon + 1).trim();
    } else if (arg === "-u") {
      const creds = next();
      const colon = creds.indexOf(":");
      request.user = creds.slice(0, colon);
      request.password = creds.slice(colon + 1);
    } else if (arg === "-X") explicitMethod = next();
    else if (arg === "--data-urlencode") {
      const pair = next();
      const eq = pair.indexOf("=");
      request.form ??= new URLSearchParams();
      request.form.append(pair.slice(0, eq), pair.slice(eq + 1));
    } else if (/^https?:\/\//.test(arg)) request.url = new URL(arg);
  }
  request.method = explicitMethod ?? (request.form ? "POST" : "GET");
  return request;
}
