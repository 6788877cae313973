import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { dirname, join } from "node:path";

import { ensureAdmin, type ApiDeps } from "@voiceassist/api";
import { safeErrorMessage } from "@voiceassist/db";
import { emailSchema, passwordSchema } from "@voiceassist/shared";
import { z } from "zod";

import type { Config } from "./config";
import { seedDemoClinic, SeedRefused } from "./seed/demo-clinic";

/**
 * The embedded database (PGlite) serves one process, and in development that is
 * the running server. So that `npm run admin:create` (and `npm run db:seed`)
 * work while `npm start` runs, the server answers them on this channel: HTTP on a Unix socket inside the
 * data directory, never a network port, and only for a request bearing the
 * token the server writes beside it (mode 0600) at each start. Whoever can read
 * that file can already open the database files themselves. Off in production
 * and with DATABASE_URL (the CLI then opens the database directly).
 */
export function devChannelPaths(config: Config) {
  const dir = dirname(config.pgliteDir);
  return { socket: join(dir, "dev.sock"), token: join(dir, "dev-token") };
}

export const devChannelEnabled = (config: Config) => !config.DATABASE_URL && config.NODE_ENV !== "production";

/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux). */
const MAX_SOCKET_PATH_BYTES = 100;
const MAX_BODY_BYTES = 16 * 1024;

const adminRequest = z.object({
  email: emailSchema,
  password: passwordSchema.optional(),
  fullName: z.string().trim().max(255).nullish(),
});

export type DevChannelAdminRequest = z.input<typeof adminRequest>;

export interface DevChannel {
  close(): Promise<void>;
}

export async function startDevChannel(config: Config, deps: ApiDeps): Promise<DevChannel | null> {
  if (!devChannelEnabled(config)) return null;
  const paths = devChannelPaths(config);
  if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH_BYTES) {
    deps.logger.warn({ socket: paths.socket }, "dev channel off: data directory path too long for a Unix socket");
    return null;
  }
  // This process holds the data directory's lock, so a socket or token left here is a dead server's.
  rmSync(paths.socket, { force: true });
  rmSync(paths.token, { force: true });
  const token = randomBytes(32).toString("hex");
  writeFileSync(paths.token, `${token}\n`, { flag: "wx", mode: 0o600 });

  const server = createServer((request, response) => {
    handle(request, response, token, deps).catch((error: unknown) => {
      deps.logger.error({ reason: safeErrorMessage(error) }, "dev channel request failed");
      reply(response, 500, { error: "the server could not do that; see its log" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(paths.socket, () => resolve());
  });
  chmodSync(paths.socket, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(paths.token, { force: true });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, token: string, deps: ApiDeps) {
  if (!hasToken(request.headers.authorization, token)) return reply(response, 401, { error: "wrong or missing dev channel token" });
  if (request.method === "POST" && request.url === "/seed") {
    try {
      return reply(response, 200, await seedDemoClinic(deps.db, deps.passwords));
    } catch (error) {
      if (error instanceof SeedRefused) return reply(response, 409, { error: error.message });
      throw error;
    }
  }
  if (request.method !== "POST" || request.url !== "/admin") return reply(response, 404, { error: "no such command" });
  const body = await readJson(request);
  const input = adminRequest.safeParse(body);
  if (!input.success) return reply(response, 400, { error: input.error.issues[0]?.message ?? "invalid request" });
  const result = await ensureAdmin(
    { db: deps.db, passwords: deps.passwords, nextcloudProvisioning: deps.nextcloudProvisioning, via: "cli" },
    input.data,
  );
  const user = "user" in result ? { id: result.user.id, email: result.user.email } : undefined;
  return reply(response, 200, { outcome: result.outcome, user });
}

function hasToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

function reply(response: ServerResponse, status: number, body: object) {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
