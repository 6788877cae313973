import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/**
 * Reads one line from stdin. On a terminal the typed characters are not
 * echoed; piped input (`echo pw | npm run admin:create …`) works as well.
 */
export async function readSecret(prompt: string): Promise<string> {
  const isTty = Boolean(process.stdin.isTTY);
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: isTty });
  if (isTty) process.stderr.write(prompt);
  muted = true;
  try {
    const line = await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("close", () => reject(new Error("no password given on standard input")));
    });
    if (isTty) process.stderr.write("\n");
    return line;
  } finally {
    rl.close();
  }
}
