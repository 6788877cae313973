/**
 * Byte-level imitations of what PHP produces for Nextcloud: json_encode (escaped slashes,
 * \uXXXX for non-ASCII, empty arrays as []) and XMLWriter with one-space indentation.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function phpJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v: unknown) => (isPlainObject(v) && Object.keys(v).length === 0 ? [] : v));
  return json.replace(/\//g, "\\/").replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// PHP casts scalars for writeElement: true → "1", false → "".
function scalarText(value: unknown): string {
  if (value === true) return "1";
  if (value === false) return "";
  return String(value);
}

function writeElement(name: string, value: unknown, depth: number, out: string[]): void {
  const pad = " ".repeat(depth);
  if (value === null || value === undefined) {
    out.push(`${pad}<${name}/>`);
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) {
      out.push(`${pad}<${name}/>`);
      return;
    }
    out.push(`${pad}<${name}>`);
    // OC_API::toXML names numeric keys "element".
    for (const [key, child] of entries) writeElement(/^\d+$/.test(key) ? "element" : key, child, depth + 1, out);
    out.push(`${pad}</${name}>`);
    return;
  }
  out.push(`${pad}<${name}>${escapeXml(scalarText(value))}</${name}>`);
}

export function phpXml(rootName: string, value: unknown): string {
  const out: string[] = ['<?xml version="1.0"?>'];
  writeElement(rootName, value, 0, out);
  return `${out.join("\n")}\n`;
}

/** Reason phrases as Nextcloud's Http class (and PHP for 401) send them, e.g. "400 Bad request". */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: "OK",
  302: "Found",
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  412: "Precondition failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
