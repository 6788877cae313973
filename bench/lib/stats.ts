import { availableParallelism, cpus, loadavg } from "node:os";

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: number[]) {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : "n/a");

/** A heading plus the facts a README entry needs: when, where, with what. */
export function printHeader(title: string) {
  console.log(`# ${title}`);
  console.log(`date: ${new Date().toISOString()}  node: ${process.version}  cpus: ${availableParallelism()}  ${cpus()[0]?.model ?? ""}`);
  printLoad("at start");
}

/** The machine may be shared: the load average says how much else was running. */
export function printLoad(when: string) {
  console.log(
    `load average ${when}: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}
