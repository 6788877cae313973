// The part of autocannon's API the benches use (no @types/autocannon in the repo).
declare module "autocannon" {
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: { headers: Record<string, string> } & Record<string, unknown>, context: object) => object | null;
  }
  interface Options {
    url: string;
    title?: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: string;
    requests?: Request[];
  }
  interface Percentiles {
    p50: number;
    p90: number;
    p99: number;
    max: number;
    totalCount: number;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    "2xx": number;
    "4xx": number;
    "5xx": number;
    latency: Percentiles;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
