import { causeChain } from "@voiceassist/db";

import { DomainError } from "../errors";

export type CheckName = "postgres" | "redis" | "qdrant" | "nextcloud" | "smtp";

export interface CheckResult {
  status: "up" | "down" | "disabled";
  latencyMs?: number;
  detail?: string;
}

export type Checks = Record<CheckName, CheckResult>;

export interface Probe {
  /** A required probe that is down makes the service unavailable (503). */
  required: boolean;
  /** Resolves when the dependency answers healthily; the signal aborts at the time bound. */
  run(signal: AbortSignal): Promise<void>;
}

/** A failure whose message is a safe, short hint (never a connection string). */
export class ProbeError extends Error {}

export class NotReadyError extends DomainError {
  constructor(readonly checks: Checks) {
    super("unavailable", "Service not ready");
  }
}

/** Runs every probe in parallel, each bounded by `timeoutMs`; `null` probes are disabled. */
export async function checkReadiness(probes: Record<CheckName, Probe | null>, timeoutMs = 2000) {
  const names = Object.keys(probes) as CheckName[];
  const results = await Promise.all(names.map((name) => runProbe(probes[name], timeoutMs)));
  const checks = Object.fromEntries(names.map((name, i) => [name, results[i]])) as Checks;
  if (names.some((name) => probes[name]?.required && checks[name].status === "down")) throw new NotReadyError(checks);
  const degraded = names.some((name) => checks[name].status === "down");
  return { status: degraded ? ("degraded" as const) : ("ready" as const), checks };
}

async function runProbe(probe: Probe | null, timeoutMs: number): Promise<CheckResult> {
  if (!probe) return { status: "disabled" };
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ProbeError(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([probe.run(controller.signal), timeout]);
    return { status: "up", latencyMs: elapsed(started) };
  } catch (error) {
    return { status: "down", latencyMs: elapsed(started), detail: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

const hints: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
};

/** A short hint from an error code; driver messages may carry hosts or credentials. */
function describe(error: unknown): string {
  if (error instanceof ProbeError) return error.message;
  for (const { code } of causeChain(error, 5)) {
    if (typeof code === "string" && hints[code]) return hints[code];
  }
  return "unreachable";
}
