/** The `ocs.meta` block shared by OCS v1 and v2 (v1 adds empty totalitems/itemsperpage). */
export interface OcsMeta {
  status: string;
  statuscode: number;
  message: string;
}

export type ParsedBody =
  | { type: "ocs"; format: "json" | "xml"; meta: OcsMeta; data: unknown }
  | { type: "json"; value: unknown }
  | { type: "other" };

/** OCS success codes: 100 on v1, 200 on v2. */
export function isOcsSuccess(statuscode: number): boolean {
  return statuscode === 100 || statuscode === 200;
}

/**
 * Sniffs the body instead of trusting Content-Type: Nextcloud answers a wrong basic-auth
 * password with an XML envelope even when `format=json` was asked. Never throws.
 */
export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return parseJsonBody(trimmed);
  if (trimmed.startsWith("<")) return parseXmlBody(trimmed);
  return { type: "other" };
}

function parseJsonBody(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: "other" };
  }
  const ocs = asRecord(asRecord(value)?.ocs);
  const meta = asRecord(ocs?.meta);
  const statuscode = toStatuscode(meta?.statuscode);
  if (!ocs || !meta || statuscode === undefined) return { type: "json", value };
  return {
    type: "ocs",
    format: "json",
    meta: { status: asString(meta.status), statuscode, message: asString(meta.message) },
    data: ocs.data,
  };
}

function parseXmlBody(text: string): ParsedBody {
  const ocs = innerText(text, "ocs");
  const meta = ocs === undefined ? undefined : innerText(ocs, "meta");
  const statuscode = toStatuscode(meta === undefined ? undefined : innerText(meta, "statuscode"));
  if (ocs === undefined || meta === undefined || statuscode === undefined) return { type: "other" };
  return {
    type: "ocs",
    format: "xml",
    meta: {
      status: decodeXmlEntities(innerText(meta, "status") ?? ""),
      statuscode,
      message: decodeXmlEntities(innerText(meta, "message") ?? ""),
    },
    // Callers only need data from JSON answers; keep the raw XML for diagnostics.
    data: innerText(ocs, "data") ?? "",
  };
}

/** Content of the first `<tag>…</tag>`; "" for `<tag/>`; undefined when absent. */
function innerText(xml: string, tag: string): string | undefined {
  const open = xml.search(new RegExp(`<${tag}(\\s*/)?>`));
  if (open < 0) return undefined;
  const selfClosing = new RegExp(`^<${tag}\\s*/>`).exec(xml.slice(open));
  if (selfClosing) return "";
  const start = xml.indexOf(">", open) + 1;
  const end = xml.indexOf(`</${tag}>`, start);
  return end < 0 ? undefined : xml.slice(start, end);
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|quot|apos|amp);/g, (whole, ref: string) => {
    if (!ref.startsWith("#")) return ENTITIES[ref] ?? whole;
    const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function toStatuscode(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*\d{1,4}\s*$/.test(value)) return Number(value);
  return undefined;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}
