import { QueryClient } from "@tanstack/react-query";

import { isApiError } from "@voiceassist/client";

const MAX_RETRIES = 2;

/**
 * Retry only what a retry can fix: no answer (network) or a 5xx. A 4xx would
 * fail the same way again, and UNAUTHORIZED is already renewed once by the
 * session client's auth link underneath.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES || !isApiError(error)) return false;
  const status = error.data?.httpStatus;
  return status === undefined || status >= 500;
}

/** The apps' cache: data counts as fresh for 30 s; mutations say what they change by invalidating it. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
