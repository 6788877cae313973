// The production-like entry (`npm run start:server`): the server bundled by
// esbuild into dist/, rebuilt first only when a source file is newer than the
// bundle. Plain JavaScript, so starting needs no TypeScript loader: loading
// ~250 modules through tsx was most of the old start-up time (bench/README.md).
//
//   node scripts/built.mjs          build if stale, then run the server in this process
//   node scripts/built.mjs --build  build only, with the common-password index (add --no-template to skip
//                                   the embedded database template)
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SERVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = resolve(SERVER_DIR, "../..");
const OUT_DIR = join(SERVER_DIR, "dist", "server");
const BUNDLE = join(OUT_DIR, "server.mjs");
const TEMPLATE_CLI = join(OUT_DIR, "pglite-template.mjs");
const PASSWORD_INDEX_CLI = join(OUT_DIR, "common-passwords-index.mjs");
const META = join(OUT_DIR, "meta.json");

/** Newer source than bundle (or no bundle, or no record of its inputs)? */
function isStale() {
  let built;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return true;
  }
  try {
    const inputs = Object.keys(JSON.parse(readFileSync(META, "utf8")).inputs);
    return inputs.some((input) => statSync(join(REPO_ROOT, input)).mtimeMs > built);
  } catch {
    return true; // a deleted source, or no metafile: rebuild
  }
}

/** Loaded as they ship: wasm and data files (PGlite), a native addon (bcrypt). */
const EXTERNAL = ["@electric-sql/pglite", "@node-rs/bcrypt", "esbuild"];
const isExternal = (path) => path.startsWith("node:") || EXTERNAL.some((name) => path === name || path.startsWith(`${name}/`));

export async function build() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: {
      server: join(SERVER_DIR, "src", "server.ts"),
      "pglite-template": join(SERVER_DIR, "src", "cli", "pglite-template.ts"),
      "common-passwords-index": join(SERVER_DIR, "src", "cli", "common-passwords-index.ts"),
    },
    outdir: OUT_DIR,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    // Stack traces need only the mappings; without the sources the map is a fraction to read and parse at start.
    sourcesContent: false,
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: "warning",
    // Our workspaces and the pure-JavaScript packages go into the bundle (one
    // file to compile instead of hundreds to resolve and load); packages that
    // ship wasm, native addons or read their own files stay imports.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [
      {
        name: "externals-and-paths",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (isExternal(args.path) ? { path: args.path, external: true } : undefined));
          // Files that find their neighbours (migrations, package.json) through
          // import.meta.url keep finding them where the source lives.
          b.onLoad({ filter: /\.ts$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            if (!source.includes("import.meta.url")) return undefined;
            return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
          });
        },
      },
    ],
  });
  const { writeFileSync } = await import("node:fs");
  writeFileSync(META, JSON.stringify({ inputs: result.metafile.inputs }));
}

if (process.argv.includes("--build")) {
  await build();
  // The common-password index the server would otherwise derive on its first start (~1 s).
  await import(pathToFileURL(PASSWORD_INDEX_CLI).href);
  // The embedded database template (once per PGlite version): a first start then skips initdb.
  if (!process.argv.includes("--no-template")) await import(pathToFileURL(TEMPLATE_CLI).href);
} else {
  if (isStale()) await build();
  await import(pathToFileURL(BUNDLE).href);
}
