import { createFetch } from "ofetch";
import { NextcloudError, innermostCode, sanitizeCause } from "./errors";
import type { Redactor } from "./errors";
import type { RawResponse } from "./interpret";

export type FetchLike = typeof globalThis.fetch;

export interface TransportOptions {
  /** Absolute base URL, already validated; may carry a sub-path (https://host/nextcloud). */
  baseUrl: URL;
  authorization: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

export interface SendRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the Nextcloud root, e.g. `/ocs/v1.php/cloud/users`. */
  path: string;
  ocs: boolean;
  form?: Record<string, string>;
  redact: Redactor;
}

export type SendOnce = (req: SendRequest) => Promise<RawResponse>;

/** One HTTP attempt with a hard deadline covering headers AND body; no retries here. */
export function createTransport(options: TransportOptions): SendOnce {
  const $fetch = createFetch({ fetch: options.fetch ?? globalThis.fetch });
  const root = options.baseUrl.pathname.replace(/\/+$/, "");

  return async (req) => {
    const url = new URL(`${root}${req.path}`, options.baseUrl.origin);
    if (req.ocs) url.searchParams.set("format", "json");
    const headers: Record<string, string> = { Accept: "application/json" };
    if (req.ocs) {
      headers["OCS-APIRequest"] = "true";
      headers.Authorization = options.authorization;
    }
    let body: string | undefined;
    if (req.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(req.form).toString();
    }
    const operation = `${req.method} ${req.path}`;
    // Our own signal: ofetch's `timeout` is cleared once headers arrive, a stalled body would hang.
    const signal = AbortSignal.timeout(options.timeoutMs);
    try {
      const res = await $fetch.raw<string, "text">(url.toString(), {
        method: req.method,
        headers,
        body,
        signal,
        responseType: "text",
        ignoreResponseError: true,
        retry: false,
      });
      return { status: res.status, headers: res.headers, body: typeof res._data === "string" ? res._data : "" };
    } catch (error) {
      const cause = sanitizeCause(error, req.redact);
      if (signal.aborted) {
        throw new NextcloudError({
          kind: "timeout",
          message: `Nextcloud did not answer ${operation} within ${options.timeoutMs} ms`,
          operation,
          cause,
        });
      }
      const code = innermostCode(error);
      throw new NextcloudError({
        kind: "network",
        message: `Could not reach Nextcloud for ${operation}${code ? ` (${code})` : ""}`,
        operation,
        cause,
      });
    }
  };
}

export interface RetryPolicy {
  retries: number;
  retryDelayMs: number;
}

/** Re-runs `attempt` on transient NextcloudErrors with exponential backoff. */
export async function withRetries<T>(policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof NextcloudError && error.retryable;
      if (!transient || n >= policy.retries) throw error;
      await sleep(policy.retryDelayMs * 2 ** n);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
