const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatDate = (value: Date | null) => (value ? dateTime.format(value) : "—");

/** Query-string helpers for hash routes: empty values are left out. */
export function toQuery(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== "" && value !== 0) params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** A non-negative integer from the query, else 0 (hand-edited URLs stay harmless). */
export const offsetFrom = (value: string | null) => (value && /^\d+$/.test(value) ? Number(value) : 0);
