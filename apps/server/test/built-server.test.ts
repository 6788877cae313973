import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { minimalChildEnv } from "@voiceassist/testing/env";
import { freePort } from "@voiceassist/testing/ports";
import { plainRequest, REPO_ROOT, waitForHttp } from "@voiceassist/testing/server-process";

const run = promisify(execFile);
const SERVER_DIR = join(REPO_ROOT, "apps/server");

/**
 * `npm run start:server` runs the bundle (scripts/built.mjs), and a fresh
 * embedded data directory starts from the build's database template instead
 * of initdb: the database it gets must be the fully migrated one, and it must
 * still be a real, persistent database on the next start.
 */
describe("the built server", () => {
  let dataDir: string;

  beforeAll(async () => {
    await run(process.execPath, ["scripts/built.mjs", "--build"], { cwd: SERVER_DIR, timeout: 240_000 });
    dataDir = await mkdtemp(join(tmpdir(), "va-built-"));
  }, 250_000);
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function withServer(body: (url: string) => Promise<void>) {
    const port = await freePort();
    const child = spawn(process.execPath, ["scripts/built.mjs"], {
      cwd: SERVER_DIR,
      env: {
        ...minimalChildEnv(),
        INIT_CWD: dataDir,
        DATA_DIR: dataDir,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "warn",
        BCRYPT_ROUNDS: "4",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/trpc/health.live`, 90_000, exited);
      await body(url);
    } finally {
      child.kill("SIGTERM");
      const code = await exited;
      expect(code, stderr).toBe(0);
    }
  }

  const call = (url: string, path: string, input: unknown) =>
    plainRequest(`${url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
  const credentials = { email: "template@example.com", password: "a-long-enough-passphrase-42" };

  it("starts a fresh data directory from the template, fully migrated, and keeps its data across restarts", async () => {
    await withServer(async (url) => {
      const registered = await call(url, "auth.register", { ...credentials, fullName: "From Template" });
      expect(registered.status, registered.body).toBe(200);
      const ready = await plainRequest(`${url}/trpc/health.ready`);
      expect(ready.status, ready.body).toBe(200);
    });
    // Second start: the directory holds a database now; the template must be left alone.
    await withServer(async (url) => {
      const login = await call(url, "auth.login", credentials);
      expect(login.status, login.body).toBe(200);
      expect(JSON.parse(login.body).result.data.json.user.fullName).toBe("From Template");
    });
  }, 240_000);
});
