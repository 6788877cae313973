interface PagerProps {
  label: string;
  total: number;
  offset: number;
  limit: number;
  onOffset: (offset: number) => void;
}

/** Previous/next paging with the range and total spelled out; nothing when there is nothing to page through. */
export function Pager({ label, total, offset, limit, onOffset }: PagerProps) {
  if (total === 0 && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <span>
        {first}–{last} of {total}
      </span>
      <button type="button" className="secondary" disabled={last >= total} onClick={() => onOffset(offset + limit)}>
        Next page
      </button>
    </nav>
  );
}
