import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { freePort } from "./ports";
import { minimalChildEnv } from "./env";

/** The repository root and the server workspace, where `npm start` runs the server's start script. */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const SERVER_DIR = join(REPO_ROOT, "apps", "server");

/** The server's own `start` script (today `tsx src/server.ts`), so the test follows whatever production runs. */
export function startScript(): string {
  const pkg = JSON.parse(readFileSync(join(SERVER_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return pkg.scripts.start!;
}

export interface SpawnOptions {
  /** Sees the output as it arrives (a bench relays it live). */
  onOutput?: (chunk: string) => void;
  /** Extra node flags (e.g. `--cpu-prof`, which NODE_OPTIONS refuses); the start script must begin with `node `. */
  nodeArgs?: string[];
  /** Listen here instead of a fresh free port (a caller that must know the URL first, e.g. for OIDC_ISSUER). */
  port?: number;
}

/** The start script with `nodeArgs` after its `node`, each quoted for sh. */
function command(nodeArgs: string[]): string {
  const script = startScript();
  if (nodeArgs.length === 0) return script;
  if (!script.startsWith("node ")) throw new Error(`cannot add node flags to the start script \`${script}\``);
  const quoted = nodeArgs.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
  return `node ${quoted} ${script.slice("node ".length)}`;
}

export interface ServerProcess {
  port: number;
  trpcUrl: string;
  child: ChildProcess;
  /** Resolves with the exit code and signal once the process has gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  output(): string;
  /** SIGKILL if still running, then removes the data directory. */
  destroy(): Promise<void>;
}

/**
 * The real entry point in its own process, started the way `npm start`
 * starts it (the workspace's start script, in the workspace, with
 * node_modules/.bin on PATH) minus npm itself: `exec` makes the script's
 * process the child, so a signal sent to `child` reaches exactly what npm
 * would have signalled. Nothing from the caller's environment leaks in but
 * PATH/HOME and what `env` says.
 */
export async function spawnServer(env: Record<string, string | undefined>, options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = await mkdtemp(join(tmpdir(), "va-proc-"));
  const child = spawn("sh", ["-c", `exec ${command(options.nodeArgs ?? [])}`], {
    cwd: SERVER_DIR,
    env: {
      ...minimalChildEnv(),
      PATH: `${join(REPO_ROOT, "node_modules", ".bin")}:${minimalChildEnv().PATH}`,
      // The entry point reads `.env` from INIT_CWD: point it at an empty dir so no developer file leaks in.
      INIT_CWD: dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    options.onOutput?.(chunk.toString());
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolveExit) =>
    child.once("exit", (code, signal) => resolveExit({ code, signal, at: performance.now() })),
  );
  return {
    port,
    trpcUrl: `http://127.0.0.1:${port}/trpc`,
    child,
    exited,
    output: () => output,
    async destroy() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PlainResponse {
  status: number;
  body: string;
}

/**
 * One request on its own connection (no keep-alive pool), so each outcome
 * belongs to exactly one request: a response, or the socket error it met.
 * `onSent` fires once the whole request has been handed to the kernel.
 */
export function plainRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; onSent?: () => void } = {},
): Promise<PlainResponse> {
  return new Promise((resolveResponse, reject) => {
    const req = request(url, {
      method: options.method ?? "GET",
      headers: options.headers,
      agent: false,
      timeout: options.timeoutMs ?? 15_000,
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("client timeout"), { code: "CLIENT_TIMEOUT" })));
    req.on("error", reject);
    req.on("finish", () => options.onSent?.());
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolveResponse({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.end(options.body);
  });
}

/** Polls until `url` answers 200, or throws after `timeoutMs` (including the process's own exit). */
export async function waitForHttp(url: string, timeoutMs: number, gone?: Promise<unknown>): Promise<void> {
  let exited = false;
  void gone?.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await plainRequest(url, { timeoutMs: 2_000 })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(exited ? `server exited before answering ${url}` : `no 200 from ${url} within ${timeoutMs} ms`);
}
