// Sums the vitest JSON reports of each `npm test` run (one folder per run)
// and ends with the single closing line CI reads: "Tests: N passed, N failed".
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

let total = { passed: 0, failed: 0 };
for (const dir of process.argv.slice(2)) {
  const run = { passed: 0, failed: 0, skipped: 0 };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
    run.passed += report.numPassedTests;
    run.failed += report.numFailedTests;
    run.skipped += report.numPendingTests + report.numTodoTests;
  }
  // One line per run when there are several (.ci/run: real services, embedded); the total says it all for one.
  if (process.argv.length > 3) console.log(`${basename(dir)}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`);
  total = { passed: total.passed + run.passed, failed: total.failed + run.failed };
}
console.log(`Tests: ${total.passed} passed, ${total.failed} failed`);
