import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** Only listed origins are echoed back (never `*`), with credentials allowed. */
export async function registerCors(app: FastifyInstance, origins: string[]) {
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    // PATCH and DELETE: the REST routes under /api (plugins/openapi.ts).
    methods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", "x-request-id", "trpc-accept", "x-trpc-source"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
}
