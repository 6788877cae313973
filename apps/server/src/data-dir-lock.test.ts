import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { lockDataDir } from "./data-dir-lock";

describe("lockDataDir", () => {
  const root = mkdtempSync(join(tmpdir(), "va-lock-"));
  const dir = join(root, "pglite");
  afterEach(() => rmSync(`${dir}.lock`, { force: true }));

  it("takes the lock, records the pid, and releases it", () => {
    const unlock = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    unlock();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("refuses while another live process holds it, takes it over once that process is gone", async () => {
    const other = spawn("sleep", ["30"]);
    writeFileSync(`${dir}.lock`, String(other.pid));
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${other.pid}`);
    const exited = new Promise((resolve) => other.once("exit", resolve));
    other.kill();
    await exited;
    const unlock = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    unlock();
  });
});
