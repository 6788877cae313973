import { clientGone, RateLimitedError } from "../errors";

export interface ConcurrencyLimitOptions {
  /** Tasks allowed to wait; past it a call is refused at once instead of queueing without bound. */
  maxQueue?: number;
}

/** Refused because the queue is full: a fast 429 with `Retry-After`, never a 60 s wait. */
export class ServerBusyError extends RateLimitedError {
  constructor() {
    super(1, { message: "The server is busy, retry in 1 s" });
    this.name = "ServerBusyError";
  }
}

/**
 * Runs at most `max` tasks at once; the rest wait in arrival order, at most
 * `maxQueue` of them. A waiting task whose `signal` aborted (its client hung
 * up) leaves the queue without running: its work would go unread.
 */
export function createConcurrencyLimit(max: number, options: ConcurrencyLimitOptions = {}) {
  const maxQueue = options.maxQueue ?? Number.POSITIVE_INFINITY;
  let running = 0;
  const waiting: Array<() => void> = [];

  function waitForSlot(signal: AbortSignal | null): Promise<void> {
    if (waiting.length >= maxQueue) return Promise.reject(new ServerBusyError());
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = waiting.indexOf(start);
        if (at >= 0) waiting.splice(at, 1);
        reject(clientGone());
      };
      const start = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      waiting.push(start);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  return async function run<T>(task: () => Promise<T>, signal: AbortSignal | null = null): Promise<T> {
    if (signal?.aborted) throw clientGone();
    if (running >= max) await waitForSlot(signal);
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
