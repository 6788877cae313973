// `npm test`: every workspace's tests through turbo, then one overall total
// (.ci/summary.mjs over the vitest JSON reports). The exit code is turbo's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// .ci/run gives each run its own folder and sums them itself; otherwise a throwaway one.
const given = process.env.VITEST_REPORT_DIR;
const reports = given || mkdtempSync(join(tmpdir(), "va-test-reports-"));
const turbo = spawnSync("turbo", ["run", "test", "--ui=stream", "--concurrency=1", "--continue", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, VITEST_REPORT_DIR: reports },
});
spawnSync(process.execPath, [join(import.meta.dirname, "summary.mjs"), reports], { stdio: "inherit" });
if (!given) rmSync(reports, { recursive: true, force: true });
process.exit(turbo.status ?? 1);
