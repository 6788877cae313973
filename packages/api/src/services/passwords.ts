import { compare, hash } from "@node-rs/bcrypt";

import { createConcurrencyLimit } from "./concurrency";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** A null hash (an invitation not yet accepted) never matches, after the time of a real check. */
  verify(password: string, hashed: string | null): Promise<boolean>;
  /** Burns the time of one verify, for unknown accounts (no user enumeration by timing). */
  verifyDummy(password: string): Promise<void>;
  /**
   * The same hasher for one request: its work still queued once `clientGone()`
   * has aborted (the client hung up) leaves the queue without running.
   * `clientGone` is called on first queued use only.
   */
  forRequest(clientGone: () => AbortSignal): PasswordHasher;
}

/**
 * bcrypt through @node-rs/bcrypt, whose async functions run on libuv's
 * thread pool, so the event loop stays free while a hash is computed.
 * At most `maxConcurrent` run at once: the pool also serves WebCrypto (JWT
 * checks), so leaving it a free thread keeps every signed-in user's calls
 * fast while a flood of logins queues up behind bcrypt.
 *
 * Passwords are hashed in Unicode NFC, so "é" typed as one code point or as
 * "e" + combining accent is the same password. Hashes made before that rule
 * were made from the raw input: `verify` tries the NFC form and, only if that
 * fails and the input is not already NFC, the raw form too.
 */
export function createPasswordHasher(rounds: number, maxConcurrent = 3, maxQueue = Number.POSITIVE_INFINITY): PasswordHasher {
  // Bounded: past `maxQueue` waiting hashes a call gets a fast 429, not a minute in line (F3).
  const queue = createConcurrencyLimit(maxConcurrent, { maxQueue });
  // A hash of a random throw-away secret at the same cost as real hashes.
  const dummyHash = hash(crypto.randomUUID(), rounds);
  return hasherOn(rounds, queue, dummyHash, () => null);
}

function hasherOn(
  rounds: number,
  queue: ReturnType<typeof createConcurrencyLimit>,
  dummyHash: Promise<string>,
  clientGone: () => AbortSignal | null,
): PasswordHasher {
  const limit = <T>(task: () => Promise<T>) => queue(task, clientGone());
  const verifyDummy = async (password: string) => {
    const fixed = await dummyHash;
    await limit(() => compare(password.normalize("NFC"), fixed));
  };
  return {
    hash: (password) => limit(() => hash(password.normalize("NFC"), rounds)),
    verify: async (password, hashed) => {
      if (hashed === null) {
        await verifyDummy(password);
        return false;
      }
      const nfc = password.normalize("NFC");
      // A malformed stored hash never authenticates. Only bcrypt's own refusal is a false: a full
      // queue (429) or a client that hung up is not a wrong password, and must not count as one.
      const matches = (candidate: string) => limit(() => compare(candidate, hashed).catch(() => false));
      if (await matches(nfc)) return true;
      // A hash made before NFC normalisation, from a non-NFC input.
      return nfc !== password && (await matches(password));
    },
    verifyDummy,
    forRequest: (signal) => hasherOn(rounds, queue, dummyHash, signal),
  };
}
