import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "./support";
import { inheritedEnv } from "@voiceassist/testing/env";

const run = promisify(execFile);
const CLIENT_DIR = fileURLToPath(new URL("..", import.meta.url));
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** The caller's npm settings (workspace, prefix) must not steer the scratch project's npm. */
const cleanEnv = () => inheritedEnv(/^npm_/i);
const sh = (command: string, args: string[], cwd: string) =>
  run(command, args, { cwd, env: cleanEnv(), timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });

/** A consumer's strict project: right calls compile, and the wrong ones must be errors, not `any`. */
const CONSUMER = `import { createClient, isMfaChallenge, type RouterOutputs, type TokenPair } from "@voiceassist/client";

const client = createClient({ url: "http://127.0.0.1:8000/trpc", getAccessToken: () => undefined });

export async function signIn(email: string, password: string): Promise<string> {
  const result = await client.auth.login.mutate({ email, password });
  if (isMfaChallenge(result)) throw new Error("a second factor is required");
  const pair: TokenPair = result;
  const expiresAt: Date = pair.user.createdAt;
  void expiresAt;
  return pair.accessToken;
}

export async function wrongInput(password: string) {
  // @ts-expect-error email must be a string
  await client.auth.login.mutate({ email: 42, password });
}

export async function wrongOutput(email: string, password: string) {
  const pair = await client.auth.login.mutate({ email, password });
  if (isMfaChallenge(pair)) return pair.challengeToken;
  // @ts-expect-error a token pair has no such field
  return pair.tokens.accessToken;
}

export type Live = RouterOutputs["health"]["live"]["status"];
export const live: Live = "healthy";
// @ts-expect-error health.live says "healthy" and nothing else
export const notLive: Live = "sick";
`;

/** Runs in the scratch project with plain Node: the published JS against a real server. */
const CALLER = `import { createClient } from "@voiceassist/client";
const live = await createClient({ url: process.argv[2] }).health.live.query();
console.log(JSON.stringify({ status: live.status, timestampIsDate: live.timestamp instanceof Date }));
`;

describe("the packed client in a project of its own", () => {
  let scratch: string;
  let server: TestServer;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "va-client-pack-"));
    await sh("npm", ["run", "build"], CLIENT_DIR);
    const { stdout } = await sh("npm", ["pack", "--json", "--pack-destination", scratch], CLIENT_DIR);
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!packed) throw new Error(`npm pack printed no file: ${stdout}`);
    const project = join(scratch, "project");
    await run("mkdir", [project]);
    await writeFile(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023", "ESNext.Disposable", "DOM"],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        include: ["consumer.ts"],
      }),
    );
    await writeFile(join(project, "consumer.ts"), CONSUMER);
    await writeFile(join(project, "caller.mjs"), CALLER);
    await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(scratch, packed.filename)], project);
    server = await startTestServer();
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("installs without any private workspace, and type-checks calls against the router's real types", async () => {
    const project = join(scratch, "project");
    const installed = JSON.parse(await readFile(join(project, "node_modules/@voiceassist/client/package.json"), "utf8"));
    const needs = Object.keys({ ...installed.dependencies, ...installed.peerDependencies });
    expect(needs.filter((name) => name.startsWith("@voiceassist/"))).toEqual([]);
    expect(existsSync(join(project, "node_modules/@voiceassist/api"))).toBe(false);
    expect(existsSync(join(project, "node_modules/@voiceassist/client/src"))).toBe(false);

    // Any error fails, an unused @ts-expect-error (types collapsed to any) included. Library files are
    // checked too; only @trpc/server's own .d.ts is let off: it names Node's http and ws, which a
    // browser project lacks (tRPC assumes skipLibCheck).
    const output = await sh(process.execPath, [TSC, "-p", "tsconfig.json"], project).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    const errors = output.split("\n").filter((line) => line.includes("error TS"));
    expect(errors.filter((line) => !line.startsWith("node_modules/@trpc/server/"))).toEqual([]);
  });

  it("calls health.live from plain Node through the built JavaScript", async () => {
    const { stdout } = await sh(process.execPath, ["caller.mjs", server.trpcUrl], join(scratch, "project"));
    expect(JSON.parse(stdout)).toEqual({ status: "healthy", timestampIsDate: true });
  });
});
