/** What a signed-in client keeps between calls: the current token pair. */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
}

/** Where the token pair lives. Synchronous so the auth header can be built without waiting. */
export interface TokenStore {
  get(): StoredTokens | null;
  set(tokens: StoredTokens): void;
  clear(): void;
  /** Called after every change, including changes made by another tab (browser store). */
  subscribe(listener: () => void): () => void;
  /**
   * Runs `task` while holding a lock shared by everyone using this store
   * (e.g. other tabs), so only one of them spends the refresh token.
   */
  withLock<T>(task: () => Promise<T>): Promise<T>;
}

/** Keeps the pair in memory only: the default, and what Node callers want. */
export function createMemoryTokenStore(initial: StoredTokens | null = null): TokenStore {
  let tokens = initial;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  return {
    get: () => tokens,
    set(next) {
      tokens = { accessToken: next.accessToken, refreshToken: next.refreshToken };
      notify();
    },
    clear() {
      tokens = null;
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    withLock: (task) => task(),
  };
}

/** The part of Web Storage the store uses, so the package needs no DOM types and runs in Node too. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of the Web Locks API the store uses. */
export interface RefreshLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** What the store looks for on `globalThis`; each piece may be missing outside a browser. */
interface BrowserGlobals {
  localStorage?: KeyValueStorage;
  navigator?: { locks?: RefreshLocks };
  addEventListener?(type: "storage", listener: (event: { key: string | null }) => void): void;
  removeEventListener?(type: "storage", listener: (event: { key: string | null }) => void): void;
}

const browser = globalThis as BrowserGlobals;

export interface LocalStorageTokenStoreOptions {
  /** Storage key; give each app its own. */
  key?: string;
  /** Defaults to `globalThis.localStorage`; tests pass their own. */
  storage?: KeyValueStorage;
  /** Defaults to `globalThis.navigator.locks` where the browser has it. */
  locks?: RefreshLocks | null;
}

/**
 * Keeps the pair in localStorage so a reload stays signed in. Tabs of one
 * origin share it: `withLock` uses the Web Locks API so two tabs never
 * refresh with the same refresh token (the server would call that theft).
 */
export function createLocalStorageTokenStore(options: LocalStorageTokenStoreOptions = {}): TokenStore {
  const key = options.key ?? "voiceassist.tokens";
  const storage = options.storage ?? browser.localStorage;
  if (!storage) throw new Error("createLocalStorageTokenStore needs localStorage; pass `storage` outside a browser");
  const locks = options.locks === undefined ? browser.navigator?.locks : options.locks;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const onStorage = (event: { key: string | null }) => {
    if (event.key === key || event.key === null) notify();
  };
  return {
    get: () => parseTokens(storage.getItem(key)),
    set(next) {
      storage.setItem(key, JSON.stringify({ accessToken: next.accessToken, refreshToken: next.refreshToken }));
      notify();
    },
    clear() {
      storage.removeItem(key);
      notify();
    },
    subscribe(listener) {
      if (listeners.size === 0) browser.addEventListener?.("storage", onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) browser.removeEventListener?.("storage", onStorage);
      };
    },
    withLock: (task) => (locks ? locks.request(`${key}:refresh`, task) : task()),
  };
}

/** Anything else in the slot (old format, hand edits) counts as signed out. */
function parseTokens(raw: string | null): StoredTokens | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return null;
    const { accessToken, refreshToken } = value as Record<string, unknown>;
    return typeof accessToken === "string" && typeof refreshToken === "string" ? { accessToken, refreshToken } : null;
  } catch {
    return null;
  }
}
