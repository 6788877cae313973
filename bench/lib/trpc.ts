/** Raw tRPC-over-HTTP calls (wire contract: superjson envelopes), for setup steps. */

export interface CallOptions {
  token?: string;
  /** Client IP as the trusted proxy reports it (X-Forwarded-For). */
  ip?: string;
}

export class TrpcCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

function headers({ token, ip }: CallOptions, json = false): Record<string, string> {
  return {
    ...(json ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(ip ? { "x-forwarded-for": ip } : {}),
  };
}

async function unwrap<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new TrpcCallError(res.status, text);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

export const queryPath = (path: string, input?: unknown) =>
  `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;

export async function query<T>(baseUrl: string, path: string, input?: unknown, options: CallOptions = {}): Promise<T> {
  return unwrap<T>(await fetch(baseUrl + queryPath(path, input), { headers: headers(options) }));
}

export async function mutation<T>(baseUrl: string, path: string, input: unknown, options: CallOptions = {}): Promise<T> {
  return unwrap<T>(
    await fetch(`${baseUrl}/trpc/${path}`, {
      method: "POST",
      headers: headers(options, true),
      body: JSON.stringify({ json: input }),
    }),
  );
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
}

export const login = (baseUrl: string, email: string, password: string, ip: string) =>
  mutation<TokenPair>(baseUrl, "auth.login", { email, password }, { ip });
