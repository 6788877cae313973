import { useEffect, useRef, useState } from "react";

import { downloadText, Notice } from "@voiceassist/ui";

const FILE_NAME = "voiceassist-backup-codes.txt";

function asText(codes: string[]): string {
  return [
    "VoiceAssist backup codes",
    `Made ${new Date().toISOString().slice(0, 10)}. Each code signs you in once when you cannot use your authenticator app.`,
    "",
    ...codes,
    "",
  ].join("\n");
}

/**
 * Fresh backup codes, shown this once: the server keeps only their hashes.
 * The person copies or downloads them, then says they have saved them.
 */
export function BackupCodesOnce({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus lands on the codes, so a keyboard or screen-reader user meets them first.
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <section className="card backup-codes" aria-labelledby="backup-codes-title">
      <h2 id="backup-codes-title" ref={heading} tabIndex={-1}>
        Save your backup codes
      </h2>
      <p className="alert alert-warning">
        This is the only time these codes are shown. Keep them somewhere safe, apart from your phone: each one signs you in once if you lose
        your authenticator app.
      </p>
      <ol className="code-list" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="secondary" onClick={() => downloadText(FILE_NAME, asText(codes), "text/plain")}>
          Download as .txt
        </button>
      </div>
      <Notice
        tone={copied === "failed" ? "error" : "success"}
        message={
          copied === "copied" ? "Codes copied." : copied === "failed" ? "The browser would not copy them; download them instead." : null
        }
      />
      <div className="alternative">
        <button type="button" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </section>
  );
}
