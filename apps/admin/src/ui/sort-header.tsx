import type { ReactNode } from "react";

interface SortHeaderProps<S extends string> {
  label: ReactNode;
  column: S;
  sort: S;
  order: "asc" | "desc";
  /** The order a first click on this column picks (e.g. newest first for dates). */
  firstOrder: "asc" | "desc";
  onSort: (column: S, order: "asc" | "desc") => void;
}

/**
 * A column header that sorts: a button inside the <th>, with aria-sort on the
 * header of the sorted column. Clicking the sorted column flips the order.
 */
export function SortHeader<S extends string>({ label, column, sort, order, firstOrder, onSort }: SortHeaderProps<S>) {
  const active = column === sort;
  const next = active ? (order === "asc" ? "desc" : "asc") : firstOrder;
  return (
    <th scope="col" aria-sort={active ? (order === "asc" ? "ascending" : "descending") : undefined}>
      <button type="button" className="sort" onClick={() => onSort(column, next)}>
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (order === "asc" ? " ▲" : " ▼") : " ↕"}
        </span>
      </button>
    </th>
  );
}
