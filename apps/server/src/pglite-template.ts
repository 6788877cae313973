import { existsSync, openAsBlob, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { pgliteTemplate } from "@voiceassist/db";

/**
 * Where `npm run build -w @voiceassist/server` leaves the embedded database
 * template: one per PGlite version, since a data directory belongs to the
 * PGlite that made it.
 */
export function templatePath(): string {
  // The package does not export its package.json; it sits one level above the entry (dist/).
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const { version } = JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string };
  return fileURLToPath(new URL(`../dist/pglite-template-${version}.tar`, import.meta.url));
}

/**
 * The template for a first start, if one was built; otherwise PGlite runs
 * initdb. A file-backed Blob: read once by PGlite, not copied into memory first.
 */
export async function readTemplate(): Promise<Blob | undefined> {
  const path = templatePath();
  return existsSync(path) ? await openAsBlob(path) : undefined;
}

/** Builds the template (initdb and every migration, in memory) unless this PGlite's one exists. */
export async function writeTemplate(): Promise<string> {
  const path = templatePath();
  if (existsSync(path)) return path;
  const tarball = await pgliteTemplate();
  // Written aside and renamed, so a start never reads half a file.
  writeFileSync(`${path}.tmp`, Buffer.from(await tarball.arrayBuffer()));
  renameSync(`${path}.tmp`, path);
  return path;
}
