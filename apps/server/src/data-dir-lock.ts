import { readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * PGlite is a single-process database: two processes opening the same data
 * directory (say `npm start` and `npm run admin:create`) would corrupt it.
 * A lock file with the owner's pid refuses the second one with a clear
 * message; a lock left by a process that no longer runs is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = Number(readFileSync(file, "utf8"));
    if (owner && owner !== process.pid && isRunning(owner)) {
      throw new Error(`the embedded database in ${dir} is in use by process ${owner}; stop it first, or set DATABASE_URL`);
    }
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of another running process holding `dir`'s lock, or null when it is free. */
export function lockOwner(dir: string): number | null {
  let owner: number;
  try {
    owner = Number(readFileSync(`${dir}.lock`, "utf8"));
  } catch {
    return null;
  }
  return owner && owner !== process.pid && isRunning(owner) ? owner : null;
}
