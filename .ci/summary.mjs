// Sums the vitest JSON reports of each `npm test` run (one folder per run)
// and ends with the single closing line CI reads: "Tests: N passed, N failed".
// Failed tests are named just above the counts, since CI keeps only the tail of its log.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";

let total = { passed: 0, failed: 0 };
const failures = [];
const lines = [];
for (const dir of process.argv.slice(2)) {
  const run = { passed: 0, failed: 0, skipped: 0 };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
    run.passed += report.numPassedTests;
    run.failed += report.numFailedTests;
    run.skipped += report.numPendingTests + report.numTodoTests;
    for (const suite of report.testResults ?? []) {
      const where = `${basename(dir)}: ${relative(process.cwd(), suite.name)}`;
      const failed = (suite.assertionResults ?? []).filter((test) => test.status === "failed");
      for (const test of failed) failures.push(`${where} > ${test.fullName}\n    ${firstLine(test.failureMessages)}`);
      // A file that failed to load has no failed test of its own, only a message.
      if (failed.length === 0 && suite.status === "failed") failures.push(`${where}\n    ${firstLine([suite.message])}`);
    }
  }
  // One line per run when there are several (.ci/run: real services, embedded); the total says it all for one.
  if (process.argv.length > 3) lines.push(`${basename(dir)}: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped`);
  total = { passed: total.passed + run.passed, failed: total.failed + run.failed };
}
if (failures.length > 0) console.log(`failed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
for (const line of lines) console.log(line);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed`);

function firstLine(messages) {
  const text = (messages ?? []).find((m) => typeof m === "string" && m.trim() !== "") ?? "(no message)";
  return text.trim().split("\n")[0].slice(0, 300);
}
