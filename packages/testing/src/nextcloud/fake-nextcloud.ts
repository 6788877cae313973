/**
 * A Nextcloud 29.0.1 OCS provisioning server in-process, byte-true to the captured fixtures
 * (packages/nextcloud/fixtures) and to the real server's quirks, for tests only.
 *
 * Test controls (all on the object startFakeNextcloud resolves to):
 * - `users` (live map, inspect or edit), `requests` (every request, passwords redacted),
 *   `mails` (welcome mails Nextcloud would send: kind "set-password" when created without a password).
 * - `setMode(mode)`: "down" refuses connections; "slow" (with `setDelay(ms)`), "html500", "proxy_html",
 *   "maintenance", "needs_upgrade", "not_installed" imitate outages and misconfiguration.
 * - `failNextCreateAfterCreating()`: the next create keeps a half-made account (display name = id,
 *   no email, no mail) and answers 996 (v1 HTTP 200; v2 HTTP 500 with 500 in the body).
 * - Brute-force protection: each failed login waits `bruteForceBaseDelayMs` (default 200) doubling,
 *   capped at 125 × base (25 s), and so does the next login; past 10 failures (from the 12th attempt)
 *   every login from that address, correct or not, gets 429 "Reached maximum delay" (v1 HTTP 200,
 *   v2 HTTP 429). `bruteForceAttempts()` counts the failures, `resetBruteForce()` clears them.
 * - PUT cloud/users/{id} (key/value) allows `editUserLimit` calls (default 50 per 10 minutes) per admin,
 *   then HTTP 429 with an empty text/html body; `resetRateLimits()` clears it.
 * Behaviour the real server showed and the fake keeps: display names over 64 characters are 101
 * "Invalid displayname" with no account kept, user ids over 64 characters are accepted (SQLite),
 * common passwords are 107, "/cloud/users/" with a trailing slash is 998 "Invalid query".
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BruteForceThrottle } from "./fake-bruteforce";
import { reachesLogin, respondTo } from "./fake-dispatch";
import { readRequest } from "./fake-http";
import type { FakeMode } from "./fake-dispatch";
import type { FakeRequest } from "./fake-http";
import type { FakeState } from "./fake-routes";
import { findUser, hashPassword, toFakeUser } from "./fake-users";
import type { FakeMail, FakeUser, SeedUser } from "./fake-users";
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
  /** Delay after the first failed login, doubling per failure (real: 200 ms); keep tests fast with 1. */
  bruteForceBaseDelayMs?: number;
  /** editUser's UserRateThrottle (real: 50 per 600 000 ms). */
  editUserLimit?: { limit: number; periodMs: number };
}

export interface FakeNextcloud {
  url: string;
  users: Map<string, FakeUser>;
  requests: FakeRequest[];
  /** Welcome mails Nextcloud would have sent, oldest first. */
  mails: FakeMail[];
  /** "down" closes the listener (connection refused); any other mode reopens it on the same port. */
  setMode(mode: FakeMode): Promise<void>;
  /** The next create stores a half-made user (display name = id, no email), then answers 996. */
  failNextCreateAfterCreating(): void;
  /** Failed logins from 127.0.0.1 that the brute-force throttle still counts (last 12 hours). */
  bruteForceAttempts(): number;
  /** Like `occ security:bruteforce:reset`. */
  resetBruteForce(): void;
  /** Forget the editUser rate-limit window. */
  resetRateLimits(): void;
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
    mails: [],
    editLimit: { ...(options.editUserLimit ?? { limit: 50, periodMs: 600_000 }), calls: new Map() },
    throttle: new BruteForceThrottle(options.bruteForceBaseDelayMs ?? 200),
  };
  const { throttle } = state;
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
    let login: FakeUser | "invalid" | "throttled" | undefined;
    if (attempted) {
      const user = findUser(users, auth.user);
      const valid = user?.enabled && user.passwordHash === hashPassword(auth.password) ? user : "invalid";
      login = reachesLogin(mode, url.pathname) ? await throttledLogin(req.socket.remoteAddress ?? "", valid) : valid;
    }
    if (closed) return;
    const answer = respondTo({ req, url, form, login, mode, state });
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, REASON_PHRASES[answer.status] ?? "Unknown", answer.headers);
    res.end(answer.body);
  }

  // Session::logClientIn: sleep the current delay (or throw past 10 failures), and after a first
  // failure sleep the new delay too.
  async function throttledLogin(ip: string, login: FakeUser | "invalid"): Promise<FakeUser | "invalid" | "throttled"> {
    if (throttle.maxed(ip)) return "throttled";
    const before = throttle.delayMs(ip);
    if (before > 0) await wait(before);
    if (login === "invalid") {
      throttle.registerFailure(ip);
      if (before === 0) await wait(throttle.delayMs(ip));
    }
    return login;
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
    mails: state.mails,
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
    bruteForceAttempts: () => throttle.attempts("127.0.0.1"),
    resetBruteForce() {
      throttle.reset();
    },
    resetRateLimits() {
      state.editLimit.calls.clear();
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
    },
  };
}
