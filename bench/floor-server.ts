/**
 * The floor: the least a server can do to answer `auth.me` and `health.live`
 * with the same guarantees, so the bench can say how much of the machine the
 * real server leaves on the table. Plain `node:http`, the same `jose` HS256
 * checks (algorithm pinned, iss, aud, exp, iat not in the future, required
 * claims, `type: "access"`), the same one-round-trip `sessions ⋈ users` query
 * through postgres.js (a prepared statement), and the same JSON bytes (the
 * superjson envelope tRPC sends). No framework, no logging, no rate limits.
 *
 *   FLOOR_MODE=auth DATABASE_URL=… JWT_SECRET=… PORT=… node --import tsx bench/floor-server.ts
 *   FLOOR_MODE=bare PORT=… node --import tsx bench/floor-server.ts   (health.live only, no database)
 *
 * Started by bench/auth-me.ts and bench/lib/floor.ts; not part of the product.
 */
import { createServer, type ServerResponse } from "node:http";

import { errors, jwtVerify } from "jose";
import postgres from "postgres";

const PORT = Number(process.env.PORT);
const MODE = process.env.FLOOR_MODE ?? "auth";
const startedAt = Date.now();

const sql = MODE === "auth" ? postgres(process.env.DATABASE_URL ?? "", { max: 10, onnotice: () => {} }) : null;
const key = await crypto.subtle.importKey(
  "raw",
  new TextEncoder().encode(process.env.JWT_SECRET ?? ""),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["verify"],
);
const CLOCK_TOLERANCE_SECONDS = 5;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const DATE_FIELDS = ["createdAt", "updatedAt", "lastLogin", "emailVerifiedAt", "invitedAt", "deletedAt"] as const;

interface UserRow {
  id: string;
  email: string;
  fullName: string | null;
  isActive: boolean;
  isAdmin: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLogin: Date | null;
  emailVerifiedAt: Date | null;
  pendingEmail: string | null;
  mfaEnabled: boolean;
  invitedAt: Date | null;
  deletedAt: Date | null;
}

async function verifyAccess(token: string): Promise<{ sub: string; sid: string } | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: "voiceassist",
      audience: "voiceassist-api",
      requiredClaims: ["sub", "sid", "jti", "exp", "iat"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    if (payload.type !== "access" || typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    if (typeof payload.jti !== "string" || typeof payload.exp !== "number" || typeof payload.iat !== "number") return null;
    if (payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
    return { sub: payload.sub, sid: payload.sid };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

/** The same statement the server's protectedProcedure runs (sessionIsLive included). */
async function findSessionUser(sessionId: string, userId: string): Promise<UserRow | null> {
  if (!sql) throw new Error("no database in bare mode");
  const rows = await sql<UserRow[]>`
    select u.id, u.email, u.full_name as "fullName", u.is_active as "isActive", u.is_admin as "isAdmin",
           u.created_at as "createdAt", u.updated_at as "updatedAt", u.last_login as "lastLogin",
           u.email_verified_at as "emailVerifiedAt", u.pending_email as "pendingEmail",
           u.mfa_enabled as "mfaEnabled", u.invited_at as "invitedAt", u.deleted_at as "deletedAt"
    from sessions s inner join users u on u.id = s.user_id
    where s.id = ${sessionId} and s.user_id = ${userId}
      and s.revoked_at is null and s.expires_at > now()
      and s.credentials_version = (select credentials_version from users where id = s.user_id and is_active)
    limit 1`;
  return rows[0] ?? null;
}

/** tRPC's success envelope with superjson's `{ json, meta }` for the Date fields. */
function userEnvelope(user: UserRow): string {
  const json: Record<string, unknown> = { ...user };
  const values: Record<string, ["Date"]> = {};
  for (const field of DATE_FIELDS) {
    const value = user[field];
    if (value instanceof Date) {
      json[field] = value.toISOString();
      values[field] = ["Date"];
    }
  }
  return JSON.stringify({ result: { data: { json, meta: { values, v: 1 } } } });
}

function healthEnvelope(): string {
  return JSON.stringify({
    result: {
      data: {
        json: {
          status: "healthy",
          timestamp: new Date().toISOString(),
          version: "0.1.0",
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        },
        meta: { values: { timestamp: ["Date"] }, v: 1 },
      },
    },
  });
}

const UNAUTHORIZED = JSON.stringify({ error: { json: { message: "Not authenticated", code: -32001 } } });

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const path = req.url?.split("?", 1)[0];
  if (path === "/trpc/health.live") return send(res, 200, healthEnvelope());
  if (path !== "/trpc/auth.me" || MODE !== "auth") return send(res, 404, "{}");
  const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
  void (async () => {
    const claims = token ? await verifyAccess(token) : null;
    const user = claims ? await findSessionUser(claims.sid, claims.sub) : null;
    if (!user) return send(res, 401, UNAUTHORIZED);
    send(res, 200, userEnvelope(user));
  })().catch(() => send(res, 500, "{}"));
});
server.keepAliveTimeout = 72_000;
server.listen(PORT, "127.0.0.1");

const stop = () => server.close(() => void (sql ? sql.end({ timeout: 5 }) : Promise.resolve()).then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
