// Every package in package-lock.json must run on every Node our `engines` allows: a dependency
// that wants another Node (npm's EBADENGINE warning) fails `npm run lint` instead of scrolling
// past in `npm ci`. Run: node scripts/check-engines.mjs
import { readFileSync } from "node:fs";

import semver from "semver";

const read = (file) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"));
const ours = read("package.json").engines.node;

const refusing = [];
for (const [path, entry] of Object.entries(read("package-lock.json").packages)) {
  const wanted = entry.engines?.node;
  if (!path || typeof wanted !== "string") continue;
  if (!semver.subset(ours, wanted)) refusing.push(`${path.replace(/^.*node_modules\//, "")}@${entry.version} wants node ${wanted}`);
}

if (refusing.length > 0) {
  console.error(`engines: ${refusing.length} package(s) in package-lock.json refuse part of the root engines range ${ours}:`);
  for (const line of refusing) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`engines: every package in package-lock.json runs on every Node the root allows (${ours})`);
