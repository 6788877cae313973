import { describe, expect, it } from "vitest";

import { createConcurrencyLimit, ServerBusyError } from "./concurrency";
import { createPasswordHasher } from "./passwords";

describe("createConcurrencyLimit", () => {
  it("never runs more than max tasks at once and runs them all", async () => {
    const limit = createConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const task = (ms: number) =>
      limit(async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, ms));
        running--;
        return ms;
      });
    expect(await Promise.all([5, 1, 3, 2, 4].map(task))).toEqual([5, 1, 3, 2, 4]);
    expect(peak).toBe(2);
  });

  it("frees its slot when a task throws", async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(async () => "next")).toBe("next");
  });
});

describe("createPasswordHasher", () => {
  it("verifies the right password only, and refuses malformed hashes without throwing", async () => {
    const hasher = createPasswordHasher(4, 1);
    const hashed = await hasher.hash("correct horse");
    expect(hashed).toMatch(/^\$2[aby]\$04\$/);
    expect(await hasher.verify("correct horse", hashed)).toBe(true);
    expect(await hasher.verify("correct horsf", hashed)).toBe(false);
    expect(await hasher.verify("correct horse", "not-a-hash")).toBe(false);
    await expect(hasher.verifyDummy("anything")).resolves.toBeUndefined();
  });

  it("a verify turned away by a full queue is a 429, not a wrong password (a failed sign-in would count)", async () => {
    const hasher = createPasswordHasher(4, 1, 1);
    const hashed = await hasher.hash("correct horse");
    const running = hasher.verify("correct horse", hashed);
    const queued = hasher.verify("correct horse", hashed);
    await expect(hasher.verify("correct horse", hashed)).rejects.toBeInstanceOf(ServerBusyError);
    expect(await Promise.all([running, queued])).toEqual([true, true]);
  });

  it("drops a request's queued password work once its client has gone, and makes its signal only then", async () => {
    const hasher = createPasswordHasher(4, 1);
    const hashed = await hasher.hash("correct horse");
    const controller = new AbortController();
    let signalsMade = 0;
    const forRequest = hasher.forRequest(() => {
      signalsMade++;
      return controller.signal;
    });
    expect(signalsMade).toBe(0);
    const running = hasher.verify("correct horse", hashed);
    const queued = forRequest.verify("correct horse", hashed);
    controller.abort(new Error("client closed the connection"));
    await expect(queued).rejects.toMatchObject({ kind: "client_gone" });
    expect(await running).toBe(true);
    expect(signalsMade).toBe(1);
    await expect(forRequest.verify("correct horse", hashed)).rejects.toMatchObject({ kind: "client_gone" });
  });
});

describe("createConcurrencyLimit bounds (F3)", () => {
  const hold = () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    return { gate, release };
  };

  it("refuses at once with ServerBusyError when the queue is full", async () => {
    const limit = createConcurrencyLimit(1, { maxQueue: 2 });
    const { gate, release } = hold();
    const running = limit(() => gate);
    const queued = [limit(async () => "a"), limit(async () => "b")];
    const started = Date.now();
    await expect(limit(async () => "c")).rejects.toBeInstanceOf(ServerBusyError);
    expect(Date.now() - started).toBeLessThan(50);
    release();
    await running;
    expect(await Promise.all(queued)).toEqual(["a", "b"]);
  });

  it("drops a queued task whose request was aborted, without running it", async () => {
    const limit = createConcurrencyLimit(1);
    const { gate, release } = hold();
    const running = limit(() => gate);
    const controller = new AbortController();
    let ran = false;
    const abandoned = limit(async () => {
      ran = true;
    }, controller.signal);
    controller.abort(new Error("client closed the connection"));
    await expect(abandoned).rejects.toMatchObject({ kind: "client_gone" });
    release();
    await running;
    expect(await limit(async () => "next")).toBe("next");
    expect(ran).toBe(false);
  });
});
