import { Agent, request } from "node:http";

import { ipSequence } from "./ips";
import type { RunningServer } from "./server";
import { ms, summarize } from "./stats";
import { login, queryPath, type TokenPair } from "./trpc";

/**
 * The mixed workload, with our own load loop instead of autocannon: refresh
 * rotation needs per-connection state (each refresh must present the token the
 * previous one returned), which autocannon's per-connection context (reset on
 * every pass over its request list) cannot keep.
 *
 * Each virtual user (VU) is one keep-alive connection to one server (VU i →
 * server i % n), runs one request at a time and picks: 70 % auth.me,
 * 10 % users.me, 10 % users.updateMe, 10 % auth.refresh.
 */

export type Op = "auth.me" | "users.me" | "users.updateMe" | "auth.refresh";
const OPS: Op[] = ["auth.me", "users.me", "users.updateMe", "auth.refresh"];

export interface MixedOptions {
  servers: RunningServer[];
  /** One logged-in session per VU; VU i uses sessions[i] and stores its rotated tokens back. */
  sessions: TokenPair[];
  connections: number;
  seconds: number;
  /** Cap on total requests per second (paced per VU); unset = as fast as possible. */
  rate?: number;
  /** Called every second with the elapsed seconds (the soak samples RSS here). */
  onSecond?: (elapsed: number) => void;
  /** For the fresh login a VU does if its session is ever refused. */
  credentials: (vu: number) => { email: string; password: string };
}

interface Outcome {
  status: number; // 0 = no HTTP response (socket error or timeout)
  body: string;
  ms: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

function send(agent: Agent, server: RunningServer, method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string) {
  return new Promise<Outcome>((resolve) => {
    const started = performance.now();
    const done = (status: number, text: string) => resolve({ status, body: text, ms: performance.now() - started });
    const url = new URL(server.url);
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body ? { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) } : headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        res.on("error", (error) => done(0, String(error)));
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.on("error", (error) => done(0, error.message));
    req.end(body);
  });
}

export interface MixedResult {
  seconds: number;
  total: number;
  perSecond: number;
  overall: ReturnType<typeof summarize>;
  byOp: Record<Op, ReturnType<typeof summarize>>;
  statuses: Record<string, number>;
  s2xx: number;
  s4xx: number;
  s5xx: number;
  errors: number;
  relogins: number;
  /** Completed requests in each whole second, to spot stalls. */
  timeline: number[];
  /** A few unexpected responses, for the report. */
  samples: string[];
}

export async function runMixed(options: MixedOptions): Promise<MixedResult> {
  const { servers, connections, seconds } = options;
  const agents = servers.map(() => new Agent({ keepAlive: true, maxSockets: Math.ceil(connections / servers.length) }));
  const nextIp = ipSequence();
  const latencies: Record<Op, number[]> = { "auth.me": [], "users.me": [], "users.updateMe": [], "auth.refresh": [] };
  const statuses: Record<string, number> = {};
  const timeline = new Array<number>(seconds + 1).fill(0);
  const samples: string[] = [];
  let relogins = 0;

  const start = performance.now();
  const end = start + seconds * 1000;
  const ticker = setInterval(() => options.onSecond?.(Math.round((performance.now() - start) / 1000)), 1000);

  const vu = async (i: number) => {
    const server = servers[i % servers.length]!;
    const agent = agents[i % servers.length]!;
    let session = options.sessions[i]!;
    const interval = options.rate ? (connections / options.rate) * 1000 : 0;
    let updates = 0;
    for (let n = 0; performance.now() < end; n++) {
      if (interval) {
        const due = start + n * interval + (i / connections) * interval; // spread VUs over the interval
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (performance.now() >= end) break;
      }
      const r = Math.random();
      const op = OPS[r < 0.7 ? 0 : r < 0.8 ? 1 : r < 0.9 ? 2 : 3]!;
      const auth = { authorization: `Bearer ${session.accessToken}` };
      let outcome: Outcome;
      if (op === "auth.me" || op === "users.me") {
        outcome = await send(agent, server, "GET", queryPath(op), auth);
      } else if (op === "users.updateMe") {
        outcome = await send(
          agent,
          server,
          "POST",
          "/trpc/users.updateMe",
          auth,
          JSON.stringify({ json: { fullName: `Bench User ${i} #${++updates}` } }),
        );
      } else {
        // A fresh client IP per refresh: the refresh limit is 20/min per IP.
        outcome = await send(
          agent,
          server,
          "POST",
          "/trpc/auth.refresh",
          { "x-forwarded-for": nextIp() },
          JSON.stringify({ json: { refreshToken: session.refreshToken } }),
        );
        if (outcome.status === 200) session = (JSON.parse(outcome.body) as { result: { data: { json: TokenPair } } }).result.data.json;
        options.sessions[i] = session; // the next run continues with the current tokens
      }
      latencies[op].push(outcome.ms);
      const key = outcome.status === 0 ? `error: ${outcome.body.slice(0, 60)}` : String(outcome.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      const second = Math.floor((performance.now() - start) / 1000);
      if (second < timeline.length) timeline[second]!++;
      if (outcome.status !== 200) {
        if (samples.length < 5) samples.push(`${op} → ${outcome.status}: ${outcome.body.slice(0, 300)}`);
        if (outcome.status === 401) {
          // The session is gone (it should never be): start a new one so the run goes on.
          const { email, password } = options.credentials(i);
          session = options.sessions[i] = await login(server.url, email, password, nextIp());
          relogins++;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => vu(i)));
  clearInterval(ticker);
  const elapsed = (performance.now() - start) / 1000;
  for (const agent of agents) agent.destroy();

  const all = OPS.flatMap((op) => latencies[op]);
  const count = (test: (status: number) => boolean) =>
    Object.entries(statuses).reduce((sum, [key, n]) => (test(Number(key)) ? sum + n : sum), 0);
  return {
    seconds: elapsed,
    total: all.length,
    perSecond: all.length / elapsed,
    overall: summarize(all),
    byOp: Object.fromEntries(OPS.map((op) => [op, summarize(latencies[op])])) as MixedResult["byOp"],
    statuses,
    s2xx: count((s) => s >= 200 && s < 300),
    s4xx: count((s) => s >= 400 && s < 500),
    s5xx: count((s) => s >= 500),
    errors: Object.entries(statuses).reduce((sum, [key, n]) => (key.startsWith("error") ? sum + n : sum), 0),
    relogins,
    timeline: timeline.slice(0, Math.floor(elapsed)),
    samples,
  };
}

export function printMixed(title: string, r: MixedResult) {
  console.log(`\n## ${title}`);
  console.log(
    `${r.perSecond.toFixed(0)} req/s over ${r.seconds.toFixed(1)} s (${r.total} requests) | p50 ${ms(r.overall.p50)}, p99 ${ms(r.overall.p99)}, max ${ms(r.overall.max)}`,
  );
  console.log(`2xx ${r.s2xx}, 4xx ${r.s4xx}, 5xx ${r.s5xx}, non-HTTP errors ${r.errors}, re-logins after a refused session ${r.relogins}`);
  console.log(`statuses: ${JSON.stringify(r.statuses)}`);
  for (const [op, s] of Object.entries(r.byOp)) {
    console.log(`  ${op.padEnd(15)} ${String(s.count).padStart(7)} calls  p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`);
  }
  const full = r.timeline.slice(1, -1); // whole seconds only
  if (full.length) console.log(`per-second throughput: min ${Math.min(...full)}, max ${Math.max(...full)}`);
  for (const sample of r.samples) console.log(`  unexpected: ${sample}`);
}

/** Logs every VU in up front (a fresh client IP each: the login limit is 10/min per IP). */
export async function loginSessions(
  servers: RunningServer[],
  count: number,
  credentials: (vu: number) => { email: string; password: string },
) {
  const nextIp = ipSequence();
  const sessions: TokenPair[] = [];
  for (let i = 0; i < count; i += 16) {
    const batch = Array.from({ length: Math.min(16, count - i) }, (_, k) => {
      const vu = i + k;
      const { email, password } = credentials(vu);
      // Log in on the other instance than the one the VU will talk to: sessions are shared state.
      return login(servers[(vu + 1) % servers.length]!.url, email, password, nextIp());
    });
    sessions.push(...(await Promise.all(batch)));
  }
  return sessions;
}
