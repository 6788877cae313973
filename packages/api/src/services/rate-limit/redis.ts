import { createHash } from "node:crypto";

import { Ratelimit } from "@upstash/ratelimit";
import type { Redis as UpstashRedis } from "@upstash/redis";

import { decision, LIMITS, type LimitName, type RateLimiter } from "./limits";

/** The part of the node `redis` client the adapter needs. */
export interface ScriptingRedisClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The calls @upstash/ratelimit makes on its client (checked in its source: evalsha, then eval on NOSCRIPT). */
export type UpstashScripting = Pick<UpstashRedis, "eval" | "evalsha">;

/**
 * Lets @upstash/ratelimit, written for Upstash's REST client, run on a
 * normal Redis through the `redis` package.
 *
 * Its scripts start with `#!lua flags=allow-key-locking`, a flag Redis 7.0
 * rejects ("Unexpected flag in script shebang"). The flag is only a
 * scheduling hint, so the adapter strips it and keeps a map from the
 * library's script hash to the hash of the script Redis really holds.
 * An unknown hash answers NOSCRIPT, which makes the library send the
 * script with EVAL; node-redis's own NOSCRIPT errors pass through the same way.
 */
export function upstashAdapter(client: ScriptingRedisClient): UpstashScripting {
  const loadedSha = new Map<string, string>();
  const toOptions = (keys: string[], args: unknown[]) => ({ keys, arguments: args.map(String) });
  return {
    evalsha: (async (sha: string, keys: string[], args: unknown[]) => {
      const ours = loadedSha.get(sha);
      if (!ours) throw new Error("NOSCRIPT No matching script (not loaded through this adapter yet)");
      return client.evalSha(ours, toOptions(keys, args));
    }) as UpstashScripting["evalsha"],
    eval: (async (script: string, keys: string[], args: unknown[]) => {
      const compatible = stripUnsupportedFlags(script);
      const result = await client.eval(compatible, toOptions(keys, args));
      loadedSha.set(sha1(script), sha1(compatible)); // EVAL caches the script server-side
      return result;
    }) as UpstashScripting["eval"],
  };
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** Removes shebang flags older Redis versions refuse; the script body is unchanged. */
export function stripUnsupportedFlags(script: string): string {
  return script.replace(/^(#!lua[^\n]*?)\s*flags=allow-key-locking/, "$1");
}

/** Limits shared by every instance that uses the same Redis and prefix. */
export function createRedisRateLimiter(client: ScriptingRedisClient, prefix: string): RateLimiter {
  // The library types its client as the whole Upstash class; it only calls the two scripting methods.
  const redis = upstashAdapter(client) as unknown as UpstashRedis;
  const limiters = Object.fromEntries(
    Object.entries(LIMITS).map(([name, { tokens, windowSeconds }]) => [
      name,
      new Ratelimit({
        redis,
        prefix: `${prefix}:${name}`,
        limiter: Ratelimit.slidingWindow(tokens, `${windowSeconds} s`),
        // Its timeout lets calls through when Redis is slow; our fallback bounds the wait instead.
        timeout: 0,
        // Its in-process block cache would make instances disagree with Redis.
        ephemeralCache: false,
        analytics: false,
      }),
    ]),
  ) as Record<LimitName, Ratelimit>;

  return {
    async limit(name, key) {
      const result = await limiters[name].limit(key);
      return decision(result.success, result.reset);
    },
  };
}
