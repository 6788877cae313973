import { describe, expect, it } from "vitest";

import { csvCell, toCsv } from "./csv";

describe("CSV cells", () => {
  it.each([
    ["=1+1", `"'=1+1"`],
    ["+SUM(A1)", `"'+SUM(A1)"`],
    ["-2+3", `"'-2+3"`],
    ["@cmd", `"'@cmd"`],
    ["\tx", `"'\tx"`],
    ["\r=x", `"'\r=x"`],
  ])("defuses a formula: %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("quotes every cell, doubles quotes, keeps commas and newlines inside the cell", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe('"2026-01-02T03:04:05.000Z"');
    expect(csvCell("a=b")).toBe('"a=b"');
  });

  it("joins rows with CRLF and ends with one", () => {
    expect(toCsv(["a", "b"], [[1, true]])).toBe('"a","b"\r\n"1","true"\r\n');
  });
});
