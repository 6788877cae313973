/**
 * Reads the compose stack the way docker compose and Caddy do, for the deployment tests: the
 * compose file with its variables substituted, Caddy's own JSON for the Caddyfile (`caddy adapt`),
 * and what each service listens on. Needs `caddy` (Debian's package) on PATH; `.ci/run` installs it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { parse } from "yaml";

import { minimalChildEnv } from "@voiceassist/testing/env";

export const repoRoot = resolve(import.meta.dirname, "../../../..");

type Env = Record<string, string | undefined>;

export interface ComposeService {
  image?: string;
  build?: { target?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  extra_hosts?: string[];
  network_mode?: string;
  networks?: { default?: { ipv4_address?: string } };
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: { default?: { ipam?: { config?: { subnet: string }[] } } };
}

/** docker compose's substitution: `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `$$`. */
export function interpolate(text: string, env: Env): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name: string, op?: string, fallback = "") => {
    if (match === "$$") return "$";
    const value = env[name];
    if (op === ":-") return value ? value : fallback;
    if (op === "-") return value ?? fallback;
    return value ?? "";
  });
}

/** docker-compose.yml as compose would run it with `env` as the .env file: parsed first, then every string substituted. */
export function loadCompose(env: Env): ComposeFile {
  const substitute = (value: unknown): unknown => {
    if (typeof value === "string") return interpolate(value, env);
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
    return value;
  };
  return substitute(parse(readFileSync(join(repoRoot, "docker-compose.yml"), "utf8"))) as ComposeFile;
}

/** `docker-compose config` itself, with `env` as the only .env: the reference for `loadCompose`. */
export function composeConfig(env: Env): { ok: true; file: ComposeFile } | { ok: false; error: string } {
  const dir = mkdtempSync(join(tmpdir(), "va-compose-"));
  const envFile = join(dir, ".env");
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([key, value]) => `${key}=${value ?? ""}\n`)
      .join(""),
  );
  const run = spawnSync("docker-compose", ["--env-file", envFile, "-f", "docker-compose.yml", "config"], {
    cwd: repoRoot,
    env: minimalChildEnv(),
    encoding: "utf8",
  });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) return { ok: false, error: run.stderr || String(run.error) };
  return { ok: true, file: parse(run.stdout) as ComposeFile };
}

/** Caddy's JSON for deploy/Caddyfile with the environment compose gives the caddy service. */
export function adaptCaddyfile(caddyEnv: Record<string, string>): CaddyJson {
  const dataDir = mkdtempSync(join(tmpdir(), "va-caddy-"));
  try {
    const output = execFileSync("caddy", ["adapt", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"], {
      cwd: repoRoot,
      env: { ...minimalChildEnv(), ...caddyEnv, XDG_DATA_HOME: dataDir },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return JSON.parse(output) as CaddyJson;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface CaddyJson {
  apps: {
    http: { servers: Record<string, { listen: string[]; routes: CaddyRoute[] }> };
    tls?: { automation?: { policies?: { subjects?: string[]; issuers?: { module: string; email?: string }[] }[] } };
  };
}

interface CaddyRoute {
  match?: { host?: string[] }[];
  handle?: unknown[];
}

export interface Site {
  host: string;
  /** Every `host:port` the site's reverse_proxy handlers dial. */
  upstreams: string[];
  /** Response headers the site sets only when the upstream did not (Caddy's `header ?Name`). */
  defaultHeaders: string[];
  /** Request headers removed before proxying. */
  strippedRequestHeaders: string[];
}

/** One entry per host matcher of Caddy's HTTPS server, with what its handlers do. */
export function sitesOf(caddy: CaddyJson): Site[] {
  const sites: Site[] = [];
  for (const server of Object.values(caddy.apps.http.servers)) {
    if (!server.listen.includes(":443")) continue;
    for (const route of server.routes) {
      const handlers = collectHandlers(route.handle ?? []);
      for (const host of route.match?.flatMap((m) => m.host ?? []) ?? []) {
        sites.push({
          host,
          upstreams: handlers.flatMap((h) => (h.handler === "reverse_proxy" ? (h.upstreams ?? []).map((u) => u.dial) : [])),
          defaultHeaders: handlers.flatMap((h) =>
            h.handler === "headers" && h.response?.require ? Object.keys(h.response.set ?? {}) : [],
          ),
          strippedRequestHeaders: handlers.flatMap((h) => h.headers?.request?.delete ?? []),
        });
      }
    }
  }
  return sites;
}

interface Handler {
  handler: string;
  routes?: { handle?: unknown[] }[];
  upstreams?: { dial: string }[];
  response?: { require?: unknown; set?: Record<string, string[]> };
  headers?: { request?: { delete?: string[] } };
}

function collectHandlers(list: unknown[]): Handler[] {
  return (list as Handler[]).flatMap((h) => [h, ...(h.routes ?? []).flatMap((r) => collectHandlers(r.handle ?? []))]);
}

/** The container port a compose service listens on: its Dockerfile stage's EXPOSE, or the image's known port. */
export function containerPorts(service: ComposeService): number[] {
  if (service.build?.target) {
    const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    // The stage is the text from its `FROM … AS <target>` line to the next FROM.
    const stage = dockerfile.split(/^FROM /m).find((s) => s.split("\n")[0]?.trim().endsWith(` AS ${service.build?.target}`));
    return [...(stage ?? "").matchAll(/^EXPOSE (\d+)/gm)].map((m) => Number(m[1]));
  }
  // The official Nextcloud image's Apache variant serves on 80 (its healthcheck here asks http://localhost/).
  if (service.image?.startsWith("nextcloud:") && service.image.endsWith("-apache")) return [80];
  return [];
}
