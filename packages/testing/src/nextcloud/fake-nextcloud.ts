import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { respondTo } from "./fake-dispatch";
import { readRequest } from "./fake-http";
import type { FakeMode } from "./fake-dispatch";
import type { FakeRequest } from "./fake-http";
import type { FakeState } from "./fake-routes";
import { findUser, hashPassword, toFakeUser } from "./fake-users";
import type { FakeUser, SeedUser } from "./fake-users";
import { REASON_PHRASES } from "./php-render";

export type { FakeMode } from "./fake-dispatch";
export type { FakeRequest } from "./fake-http";

export interface FakeNextcloudOptions {
  adminUser?: string;
  adminPassword: string;
  /** More users (admin is always created); handy to mirror a captured server state. */
  users?: SeedUser[];
  /** Used for `storageLocation` in user details. */
  dataDirectory?: string;
  version?: string;
  /** Mirrors the `newUser.requireEmail` app config (statuscode 110). */
  requireEmail?: boolean;
}

export interface FakeNextcloud {
  url: string;
  users: Map<string, FakeUser>;
  requests: FakeRequest[];
  /** "down" closes the listener (connection refused); any other mode reopens it on the same port. */
  setMode(mode: FakeMode): Promise<void>;
  /** The next successful create stores the user, then answers statuscode 996 like a crashing hook. */
  failNextCreateAfterCreating(): void;
  /** Delay used by "slow" mode (default 5000 ms). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startFakeNextcloud(options: FakeNextcloudOptions): Promise<FakeNextcloud> {
  const adminUser = options.adminUser ?? "admin";
  const users = new Map<string, FakeUser>();
  users.set(adminUser, { ...toFakeUser({ id: adminUser, password: options.adminPassword }), isAdmin: true });
  for (const seed of options.users ?? []) users.set(seed.id, toFakeUser(seed));
  const state: FakeState = {
    users,
    dataDirectory: options.dataDirectory ?? "/var/www/html/data",
    version: options.version ?? "29.0.1",
    requireEmail: options.requireEmail ?? false,
    failNextCreateAfterCreating: false,
  };
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let mode: FakeMode = "ok";
  let delayMs = 5000;
  let closed = false;

  const server = createServer((req, res) => {
    // A bug in the fake must not surface as an unhandled rejection in the test run.
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { url, form, auth, record } = await readRequest(req, mode);
    requests.push(record);
    if (mode === "slow") await wait(delayMs);
    if (closed) return;
    // PHP_AUTH_USER / PHP_AUTH_PW: both must be non-empty to count as an attempt.
    const attempted = auth !== undefined && auth.user !== "" && auth.password !== "";
    const user = attempted ? findUser(users, auth.user) : undefined;
    const login = attempted ? (user?.enabled && user.passwordHash === hashPassword(auth.password) ? user : "invalid") : undefined;
    const answer = respondTo({ req, url, form, login, mode, state });
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, REASON_PHRASES[answer.status] ?? "Unknown", answer.headers);
    res.end(answer.body);
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    users,
    requests,
    async setMode(next) {
      if (next === "down") await stopListening();
      else if (!server.listening && !closed) await listen(port);
      mode = next;
    },
    failNextCreateAfterCreating() {
      state.failNextCreateAfterCreating = true;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
    },
  };
}
