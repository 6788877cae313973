import { chmodSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { devSecretFile, persistentDevSecret } from "./dev-secret";

describe("persistentDevSecret", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "va-secret-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("makes one key on first use, readable by the owner only, and returns the same one after a restart", () => {
    const dataDir = join(dir, "data");
    const first = persistentDevSecret(dataDir);
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(statSync(devSecretFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(persistentDevSecret(dataDir)).toBe(first);
  });

  it("narrows a key file others can read back to 0600", () => {
    persistentDevSecret(dir);
    chmodSync(devSecretFile(dir), 0o644);
    persistentDevSecret(dir);
    expect(statSync(devSecretFile(dir)).mode & 0o777).toBe(0o600);
  });

  it("refuses a key too short to sign with, naming the file", () => {
    writeFileSync(devSecretFile(dir), "short\n", { mode: 0o600 });
    expect(() => persistentDevSecret(dir)).toThrow(/jwt-secret holds a key shorter than 32 bytes/);
  });
});
