import { createTRPCClient, httpBatchLink, type TRPCClient, type TRPCLink } from "@trpc/client";

import { transformer } from "@voiceassist/shared/transformer";
import { MAX_BATCH_ITEMS } from "@voiceassist/shared/transport";
import type { AppRouter } from "@voiceassist/api";

export interface ClientOptions {
  /** The tRPC endpoint, e.g. http://127.0.0.1:8000/trpc */
  url: string;
  /** Returns the current access token; sent as `Authorization: Bearer …`. */
  getAccessToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Extra headers for every request (e.g. x-request-id). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** A fetch implementation; defaults to the global one (Node ≥ 18 and browsers). */
  fetch?: typeof fetch;
  /** Links to run before the HTTP link (e.g. retry or logging). */
  links?: TRPCLink<AppRouter>[];
}

/** A fully typed client for the VoiceAssist API, with superjson and batching. */
// Annotated so the published .d.ts names the router type rather than the server's internals.
export function createClient(options: ClientOptions): VoiceAssistClient {
  return createTRPCClient<AppRouter>({
    links: [
      ...(options.links ?? []),
      httpBatchLink({
        url: options.url,
        transformer,
        maxItems: MAX_BATCH_ITEMS,
        fetch: options.fetch,
        async headers() {
          const extra = (await options.headers?.()) ?? {};
          const token = await options.getAccessToken?.();
          return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
        },
      }),
    ],
  });
}

export type VoiceAssistClient = TRPCClient<AppRouter>;
