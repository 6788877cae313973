import { randomInt } from "node:crypto";

/**
 * Distinct client IPs for `X-Forwarded-For` (the server runs with
 * TRUST_PROXY=127.0.0.1), so per-IP rate limits never throttle the bench.
 * Starts at a random point of 10.0.0.0/8 so back-to-back runs sharing Redis
 * do not reuse each other's budgets.
 */
export function ipSequence() {
  let next = randomInt(1, 1 << 23);
  return () => {
    const n = next++ & 0xffffff;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
}
