import { parseArgs } from "node:util";

import { createClient, TRPCClientError } from "@voiceassist/client";

/**
 * `npm run smoke -- --url http://127.0.0.1:8000`: calls health.live and
 * health.ready through the typed client; exits 1 when down or not ready.
 */
async function main() {
  const { values } = parseArgs({ options: { url: { type: "string", default: "http://127.0.0.1:8000" } } });
  const base = values.url.replace(/\/+$/, "");
  const client = createClient({ url: base.endsWith("/trpc") ? base : `${base}/trpc` });

  const live = await client.health.live.query();
  console.log(`live   ${live.status}  version ${live.version}  up ${live.uptimeSeconds}s`);

  try {
    const ready = await client.health.ready.query();
    printChecks(ready.status, ready.checks);
    return 0; // "degraded" still serves: only optional services are down
  } catch (error) {
    const checks = error instanceof TRPCClientError ? (error.data as { checks?: Checks } | undefined)?.checks : undefined;
    if (!checks) throw error;
    printChecks("not ready", checks);
    return 1;
  }
}

type Checks = Record<string, { status: string; latencyMs?: number; detail?: string }>;

function printChecks(status: string, checks: Checks) {
  console.log(`ready  ${status}`);
  for (const [name, check] of Object.entries(checks)) {
    const latency = check.latencyMs === undefined ? "" : ` ${check.latencyMs} ms`;
    console.log(`  ${name.padEnd(10)} ${check.status}${latency}${check.detail ? ` (${check.detail})` : ""}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`smoke: API unreachable or failing: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
