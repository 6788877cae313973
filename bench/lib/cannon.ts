import autocannon from "autocannon";

export interface CannonSummary {
  title: string;
  seconds: number;
  /** Completed 2xx responses per second over the whole run. */
  okPerSecond: number;
  total: number;
  s2xx: number;
  s4xx: number;
  s5xx: number;
  /** Socket errors and timeouts (non-HTTP failures). */
  errors: number;
  timeouts: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

type Options = Parameters<typeof autocannon>[0];

/** Runs autocannon in this process and reduces its result to the figures the bench reports. */
export async function cannon(title: string, options: Options): Promise<CannonSummary> {
  const result = await autocannon({ ...options, title });
  const seconds = result.duration;
  return {
    title,
    seconds,
    okPerSecond: result["2xx"] / seconds,
    total: result.latency.totalCount,
    s2xx: result["2xx"],
    s4xx: result["4xx"],
    s5xx: result["5xx"],
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

export function printCannon(s: CannonSummary) {
  console.log(
    `${s.title}: ${s.okPerSecond.toFixed(1)} ok/s over ${s.seconds.toFixed(1)} s | ` +
      `latency p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms (autocannon, 1 ms buckets) | ` +
      `2xx ${s.s2xx}, 4xx ${s.s4xx}, 5xx ${s.s5xx}, errors ${s.errors}, timeouts ${s.timeouts}`,
  );
}
