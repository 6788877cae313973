import { useState } from "react";

/**
 * Copies `value` to the clipboard and says whether it worked, next to the
 * button (a browser may refuse: the value is still on screen to select).
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
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
      <button type="button" className="secondary small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-result">
        {result === "copied" ? "Copied." : result === "failed" ? "The browser would not copy it: select the text instead." : ""}
      </span>
    </span>
  );
}
