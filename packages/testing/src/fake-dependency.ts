import { createServer, type ServerResponse } from "node:http";

import { freePort } from "./ports";

export type FakeMode = "slow" | "error" | "healthy";

export interface SeenRequest {
  path: string;
  mode: FakeMode;
  arrivedAt: number;
  /** When the client gave up on (or finished) the connection; undefined while it is still open. */
  closedAt?: number;
}

export interface FakeDependency {
  url: string;
  port: number;
  requests: SeenRequest[];
  /** Switches behaviour for requests from now on. */
  setMode(mode: FakeMode): void;
  /** Stops listening and drops every connection: from then on the port refuses, as a dead service would. */
  close(): Promise<void>;
}

/** What a healthy Nextcloud's status.php says (no login needed). */
const NEXTCLOUD_STATUS = {
  installed: true,
  maintenance: false,
  needsDbUpgrade: false,
  version: "29.0.1.1",
  versionstring: "29.0.1",
  edition: "",
  productname: "Nextcloud",
  extendedSupport: false,
};

/** A successful OCS answer (the readiness probe's logged-in capabilities call only needs "ok, 100"). */
const OCS_OK = {
  ocs: { meta: { status: "ok", statuscode: 100, message: "OK", totalitems: "", itemsperpage: "" }, data: { capabilities: {} } },
};

/** The healthy answer for each path this stand-in may be asked for. */
function healthyBody(path: string): string {
  if (path.startsWith("/status.php")) return JSON.stringify(NEXTCLOUD_STATUS);
  if (path.startsWith("/ocs/")) return JSON.stringify(OCS_OK);
  return JSON.stringify({ title: "ok" });
}

/**
 * A stand-in for an optional HTTP dependency (Qdrant's /readyz, Nextcloud's
 * status.php and logged-in capabilities call) on loopback: `slow` answers 200 only after `delayMs`, `error`
 * answers 500 at once, `healthy` answers 200 at once. Every request is
 * recorded with when its connection closed, so a test can tell that the
 * server gave up on a slow answer instead of leaving the socket open.
 */
export async function startFakeDependency(initialMode: FakeMode, delayMs = 5_000): Promise<FakeDependency> {
  let mode = initialMode;
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const seen: SeenRequest = { path: req.url ?? "", mode, arrivedAt: performance.now() };
    requests.push(seen);
    res.on("close", () => (seen.closedAt = performance.now()));
    const answer = (target: ServerResponse) => {
      if (target.destroyed) return;
      if (seen.mode === "error") return target.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>");
      target.writeHead(200, { "content-type": "application/json" }).end(healthyBody(seen.path));
    };
    if (seen.mode !== "slow") return answer(res);
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(res);
    }, delayMs);
    timers.add(timer);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setMode: (next) => {
      mode = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
