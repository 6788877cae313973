import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { freePort } from "./ports";

const run = promisify(execFile);

/** The newest installed PostgreSQL's bin directory, or null when there is none. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "pg_ctl")) && existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Usable when binaries exist and, as root, the `postgres` OS user and runuser are there to drop privileges. */
export function canRunPrivatePostgres(): boolean {
  if (!postgresBinDir()) return false;
  if (!isRoot()) return true;
  return existsSync("/usr/sbin/runuser") || existsSync("/sbin/runuser");
}

export interface PrivatePostgres {
  port: number;
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  /**
   * Runs SQL through psql and returns its unaligned rows. psql rather than a
   * driver in this process, so that any driver fault a test sees is the server's.
   */
  psql(database: string, sql: string): Promise<string[]>;
  /** A psql session left running (e.g. holding a lock) until it ends or the server goes away. */
  spawnPsql(database: string, sql: string): ChildProcess;
  /** `pg_ctl stop -m fast`: open sessions are terminated, in-flight statements fail. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops for good and removes the data directory. */
  destroy(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster in a temp dir on a free port, so fault
 * tests can stop and start it without touching the shared server on 5432.
 * initdb refuses to run as root, so as root every binary runs as `postgres`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no PostgreSQL binaries under /usr/lib/postgresql");
  const dir = await mkdtemp(join(tmpdir(), "va-pg-"));
  const data = join(dir, "data");
  const port = await freePort();
  if (isRoot()) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }

  const pg = (tool: string, args: string[], timeoutMs = 30_000) =>
    isRoot()
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { timeout: timeoutMs })
      : run(join(bin, tool), args, { timeout: timeoutMs });

  await pg("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  // fsync off and a small footprint: this cluster only lives for one test file.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=16MB`;

  const start = async () => {
    await pg("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "30", "start"]);
  };
  const stop = async () => {
    await pg("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
  };

  // If this process dies before destroy() (a crash, a killed worker), the cluster must not outlive it.
  const asPostgres = isRoot() ? "runuser -u postgres -- " : "";
  const watchdog = spawn(
    "sh",
    [
      "-c",
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${asPostgres}'${join(bin, "pg_ctl")}' -D '${data}' -m immediate stop; rm -rf '${dir}'`,
    ],
    { detached: true, stdio: "ignore" },
  );
  watchdog.unref();

  await start();
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const psqlArgs = (database: string, sql: string) => [
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "postgres",
    "-d",
    database,
    "-X",
    "-A",
    "-t",
    "-v",
    "ON_ERROR_STOP=1",
    "-c",
    sql,
  ];
  const psql = async (database: string, sql: string) => {
    const { stdout } = await pg("psql", psqlArgs(database, sql), 15_000);
    return stdout.split("\n").filter(Boolean);
  };

  return {
    port,
    urlFor,
    async createDatabase(name) {
      await psql("postgres", `create database ${name}`);
      return urlFor(name);
    },
    psql,
    spawnPsql(database, sql) {
      const args = psqlArgs(database, sql);
      return isRoot()
        ? spawn("runuser", ["-u", "postgres", "--", join(bin, "psql"), ...args], { stdio: "ignore" })
        : spawn(join(bin, "psql"), args, { stdio: "ignore" });
    },
    stop,
    start,
    async destroy() {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      if (watchdog.exitCode === null) watchdog.kill();
    },
  };
}
