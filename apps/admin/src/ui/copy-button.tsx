import { useState } from "react";

/**
 * Copies `value` to the clipboard and says whether it worked, next to the
 * button (a browser may refuse: the value is still on screen to select).
 * `text` is a shorter visible word where the label would crowd a table cell.
 */
export function CopyButton({ value, label, text = label }: { value: string; label: string; text?: string }) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setResult("copied");
    } catch {
      setResult("failed");
    }
  }
  return (
    <span className="copy">
      <button type="button" className="secondary small" aria-label={text === label ? undefined : label} onClick={() => void copy()}>
        {text}
      </button>
      <span role="status" className="copy-result">
        {result === "copied" ? "Copied." : result === "failed" ? "The browser would not copy it: select the text instead." : ""}
      </span>
    </span>
  );
}
