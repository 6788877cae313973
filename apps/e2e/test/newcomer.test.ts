import { spawn, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { minimalChildEnv } from "@voiceassist/testing/env";
import { freePort } from "@voiceassist/testing/ports";
import { REPO_ROOT } from "@voiceassist/testing/server-process";
import { until } from "@voiceassist/testing/wait";

import { adminSignIn } from "../support/admin";
import { launchBrowser, openPage, screenshot } from "../support/browser";

/** Never copied: installs, caches, build output, local data and settings, screenshots. */
const SKIP = new Set(["node_modules", ".git", ".data", ".turbo", "dist", "screenshots", ".env", "coverage", "test-results"]);
/** Vite's caches inside a workspace's node_modules: the copy makes its own. */
const CACHES = new Set([".vite", ".vite-temp"]);

/**
 * A fresh clone, as far as a test can make one: the repository's files without
 * .data/ or .env, and the installed dependencies linked in (entry by entry, so
 * each Vite keeps its cache in the copy). Nothing of this checkout is written to.
 */
async function freshClone(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "va-newcomer-"));
  await cp(REPO_ROOT, root, { recursive: true, filter: (source) => !SKIP.has(basename(source)) });
  await symlink(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  for (const group of ["apps", "packages"]) {
    for (const workspace of await readdir(join(REPO_ROOT, group))) {
      const installed = join(REPO_ROOT, group, workspace, "node_modules");
      if (!existsSync(installed)) continue;
      await mkdir(join(root, group, workspace, "node_modules"));
      for (const entry of await readdir(installed)) {
        if (!CACHES.has(entry)) await symlink(join(installed, entry), join(root, group, workspace, "node_modules", entry));
      }
    }
  }
  return root;
}

/** The README's first-admin command, exactly as printed under "First admin". */
async function readmeAdminCommand(root: string): Promise<string> {
  const readme = await readFile(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## First admin"));
  const command = /```sh\n(npm run admin:create[^\n]*)\n```/.exec(section)?.[1];
  if (!command) throw new Error("README has no admin:create command under 'First admin'");
  return command;
}

function run(command: string, cwd: string, env: Record<string, string>, stdin: string) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn("sh", ["-c", command], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.stdin.end(stdin);
    child.on("exit", (code) => done({ code, out }));
  });
}

describe("a newcomer's first hour: npm start, the README's admin command, the admin panel", () => {
  const PASSWORD = "newcomer-password-1";
  let root: string;
  let start: ChildProcess;
  let output = "";
  let env: Record<string, string>;
  let browser: Browser;

  beforeAll(async () => {
    root = await freshClone();
    // Free ports, so a parallel run (or a developer's own npm start) cannot collide; nothing else is set.
    env = {
      ...minimalChildEnv(),
      PORT: String(await freePort()),
      WEB_PORT: String(await freePort()),
      ADMIN_PORT: String(await freePort()),
      BCRYPT_ROUNDS: "4",
    };
    start = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    start.stdout?.on("data", (d) => (output += d));
    start.stderr?.on("data", (d) => (output += d));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (start?.pid && start.exitCode === null) {
      const exited = new Promise((resolve) => start.once("exit", resolve));
      process.kill(-start.pid, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    }
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("prints one banner, makes the admin with the README's command while running, and the admin signs in at the printed URL", async () => {
    await until(() => output.includes("VoiceAssist is running") || start.exitCode !== null, 150_000);
    expect(start.exitCode, output).toBeNull();
    const adminUrl = /Admin panel +(http:\/\/\S+)/.exec(output)?.[1];
    // localhost, not 127.0.0.1: a page on an IP address can neither make nor use a passkey.
    expect(adminUrl).toBe(`http://localhost:${env.ADMIN_PORT}`);
    expect(output).toMatch(new RegExp(`Web app +http://localhost:${env.WEB_PORT}\\n`));
    expect(output).toMatch(new RegExp(`Dev mailbox +http://127\\.0\\.0\\.1:${env.PORT}/dev/mailbox`));

    const command = await readmeAdminCommand(root);
    expect(command).toBe("npm run admin:create -- --email you@example.com");
    const created = await run(command, root, env, `${PASSWORD}\n`);
    expect(created.out).toMatch(/created admin you@example\.com .*through the running server/);
    expect(created.code).toBe(0);
    // One database for every entry point: the copy's own .data/, nothing under apps/server.
    expect(existsSync(join(root, ".data/pglite"))).toBe(true);
    expect(existsSync(join(root, "apps/server/.data"))).toBe(false);

    for (const viewport of [
      { name: "1280", width: 1280, height: 800 },
      { name: "390", width: 390, height: 844 },
    ]) {
      const page = await openPage(browser, adminUrl!);
      await page.setViewportSize(viewport);
      await adminSignIn(page, "you@example.com", PASSWORD);
      await page.getByRole("heading", { name: "Users" }).waitFor();
      await page.getByRole("status").filter({ hasText: "1 user found" }).waitFor();
      await screenshot(page, `newcomer-admin-${viewport.name}`);
      await page.context().close();
    }
    // Printed once, however long it runs.
    expect(output.split("VoiceAssist is running").length - 1).toBe(1);
  }, 240_000);
});
