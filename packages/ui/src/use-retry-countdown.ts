import { retryAfterSeconds } from "@voiceassist/client";
import { useEffect, useState } from "react";

/**
 * Seconds left before a rate-limited call may be retried, counting down once a
 * second from the error's Retry-After; 0 once it may, null when `error` is no
 * rate limit. Disable the button while it is above 0.
 */
export function useRetryCountdown(error: unknown): number | null {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const wait = retryAfterSeconds(error);
    setNow(Date.now());
    setDeadline(wait === null ? null : Date.now() + wait * 1000);
  }, [error]);

  useEffect(() => {
    if (deadline === null || deadline <= now) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, deadline - now));
    return () => clearTimeout(timer);
  }, [deadline, now]);

  if (deadline === null) return null;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** What a form shows for a rate limit while counting down, and once the wait is over. */
export function retryMessage(secondsLeft: number): string {
  if (secondsLeft <= 0) return "You can try again now.";
  return `Too many attempts. Try again in ${secondsLeft} second${secondsLeft === 1 ? "" : "s"}.`;
}
