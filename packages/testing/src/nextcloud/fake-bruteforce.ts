/**
 * OC\Security\Bruteforce\Throttler for the "login" action, per client address: failures within
 * 12 hours set a delay of base × 2^(n-1) (real base 200 ms), capped at 125 × base (25 s); more than
 * MAX_ATTEMPTS failures within 30 minutes throw MaxDelayReached for every login, good or bad.
 */
export const MAX_ATTEMPTS = 10;
const DELAY_WINDOW_MS = 12 * 3600 * 1000;
const MAX_WINDOW_MS = 30 * 60 * 1000;

export class BruteForceThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly baseDelayMs: number) {}

  attempts(ip: string, windowMs = DELAY_WINDOW_MS, now = Date.now()): number {
    return (this.failures.get(ip) ?? []).filter((at) => now - at < windowMs).length;
  }

  /** Throttler::getDelay in milliseconds (also what capabilities report as bruteforce.delay). */
  delayMs(ip: string): number {
    const n = this.attempts(ip);
    if (n === 0) return 0;
    const cap = 125 * this.baseDelayMs;
    return n > MAX_ATTEMPTS ? cap : Math.min(cap, this.baseDelayMs * 2 ** (n - 1));
  }

  /** sleepDelayOrThrowOnMax's throw condition. */
  maxed(ip: string): boolean {
    return this.delayMs(ip) === 125 * this.baseDelayMs && this.attempts(ip, MAX_WINDOW_MS) > MAX_ATTEMPTS;
  }

  registerFailure(ip: string): void {
    const now = Date.now();
    const kept = (this.failures.get(ip) ?? []).filter((at) => now - at < DELAY_WINDOW_MS);
    kept.push(now);
    this.failures.set(ip, kept);
  }

  /** occ security:bruteforce:reset */
  reset(): void {
    this.failures.clear();
  }
}
