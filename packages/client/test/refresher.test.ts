import { describe, expect, it, vi } from "vitest";

import { createLocalStorageTokenStore, createRefresher, TRPCClientError } from "../src";

/** Two tabs share one localStorage and one lock manager, each with its own refresher. */
function twoTabs(refresh: (token: string) => Promise<{ accessToken: string; refreshToken: string }>) {
  const items = new Map<string, string>();
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
  // A one-name lock manager: tasks run one after another, like navigator.locks.
  let queue: Promise<unknown> = Promise.resolve();
  const locks = {
    request: (_name: string, task: () => Promise<unknown>) => {
      const run = queue.then(task);
      queue = run.catch(() => undefined);
      return run;
    },
  } as never;
  const tab = () => {
    const store = createLocalStorageTokenStore({ storage, locks });
    const onExpired = vi.fn();
    return { store, onExpired, refresher: createRefresher({ store, refresh, onExpired }) };
  };
  return [tab(), tab()] as const;
}

describe("refresher across tabs", () => {
  it("two tabs whose calls fail together spend the refresh token once", async () => {
    const refresh = vi.fn(async (token: string) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { accessToken: `access-after-${token}`, refreshToken: `next-${token}` };
    });
    const [a, b] = twoTabs(refresh);
    a.store.set({ accessToken: "old", refreshToken: "r1" });

    const renewed = await Promise.all([a.refresher.renew("old"), b.refresher.renew("old"), a.refresher.renew("old")]);

    expect(renewed).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(b.store.get()).toEqual({ accessToken: "access-after-r1", refreshToken: "next-r1" });
  });

  it("a refused refresh signs out; a network failure keeps the pair for later", async () => {
    const refused = new TRPCClientError("nope", {
      result: { error: { code: -32001, message: "nope", data: { code: "UNAUTHORIZED", httpStatus: 401 } } } as never,
    });
    const refresh = vi.fn().mockRejectedValueOnce(new TRPCClientError("fetch failed")).mockRejectedValueOnce(refused);
    const [a] = twoTabs(refresh);
    a.store.set({ accessToken: "old", refreshToken: "r1" });

    await expect(a.refresher.renew("old")).resolves.toBe(false);
    expect(a.store.get()).not.toBeNull();
    expect(a.onExpired).not.toHaveBeenCalled();

    await expect(a.refresher.renew("old")).resolves.toBe(false);
    expect(a.store.get()).toBeNull();
    expect(a.onExpired).toHaveBeenCalledTimes(1);
  });
});
