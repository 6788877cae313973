/**
 * superjson walks every path its `meta` names (and every referential
 * equality) before the input is validated, so a client could make it do
 * work out of all proportion to the input. Real inputs need a handful of
 * annotations (a Date or two), so anything far beyond that is refused.
 */
export const MAX_META_NODES = 100;
export const MAX_META_DEPTH = 16;

/** The refusal message for the first envelope whose meta is too big, or null. A batch holds one envelope per call. */
export function refuseCostlyMeta(parsed: unknown, isBatch: boolean): string | null {
  const envelopes = isBatch && isObject(parsed) ? Object.values(parsed) : [parsed];
  for (const envelope of envelopes) {
    if (!isObject(envelope) || !("meta" in envelope)) continue;
    if (!withinBounds(envelope.meta)) {
      return `superjson meta is too large (at most ${MAX_META_NODES} entries, ${MAX_META_DEPTH} levels deep)`;
    }
  }
  return null;
}

/** Counts every object key and array element, without recursion. */
function withinBounds(meta: unknown): boolean {
  let nodes = 0;
  const pending: Array<[unknown, number]> = [[meta, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_META_DEPTH) return false;
    const children = Array.isArray(value) ? value : Object.values(value);
    nodes += children.length;
    if (nodes > MAX_META_NODES) return false;
    for (const child of children) pending.push([child, depth + 1]);
  }
  return true;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
