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
 * normal Redis through the `redis` package. Node-redis rejects with a
 * ReplyError whose message starts "NOSCRIPT", which is what the library
 * looks for before falling back to EVAL.
 */
export function upstashAdapter(client: ScriptingRedisClient): UpstashScripting {
  const toOptions = (keys: string[], args: unknown[]) => ({ keys, arguments: args.map(String) });
  return {
    evalsha: ((sha: string, keys: string[], args: unknown[]) =>
      client.evalSha(sha, toOptions(keys, args))) as UpstashScripting["evalsha"],
    eval: ((script: string, keys: string[], args: unknown[]) =>
      client.eval(script, toOptions(keys, args))) as UpstashScripting["eval"],
  };
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
