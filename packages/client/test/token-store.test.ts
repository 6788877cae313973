import { describe, expect, it, vi } from "vitest";

import { createLocalStorageTokenStore, createMemoryTokenStore } from "../src";

const pair = { accessToken: "a.b.c", refreshToken: "d.e.f" };

/** Just enough of the Storage interface, since Node has no localStorage. */
function fakeStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("token stores", () => {
  it("memory store keeps only the two tokens and notifies subscribers", () => {
    const store = createMemoryTokenStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.set({ ...pair, tokenType: "bearer" } as typeof pair);
    expect(store.get()).toEqual(pair);
    store.clear();
    expect(store.get()).toBeNull();
    unsubscribe();
    store.set(pair);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it("localStorage store round-trips under its key and treats junk as signed out", () => {
    const storage = fakeStorage();
    const store = createLocalStorageTokenStore({ key: "k", storage, locks: null });
    store.set(pair);
    expect(JSON.parse(storage.items.get("k")!)).toEqual(pair);
    expect(createLocalStorageTokenStore({ key: "k", storage, locks: null }).get()).toEqual(pair);
    for (const junk of ["not json", "null", '{"accessToken":1}', "[]"]) {
      storage.items.set("k", junk);
      expect(store.get()).toBeNull();
    }
    store.clear();
    expect(storage.items.has("k")).toBe(false);
  });

  it("localStorage store runs refreshes under a named Web Lock when there is one", async () => {
    const request = vi.fn((_name: string, task: () => Promise<unknown>) => task());
    const store = createLocalStorageTokenStore({ key: "app", storage: fakeStorage(), locks: { request } as never });
    await expect(store.withLock(async () => 42)).resolves.toBe(42);
    expect(request).toHaveBeenCalledWith("app:refresh", expect.any(Function));
  });
});
