import { compare, hash } from "@node-rs/bcrypt";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hashed: string): Promise<boolean>;
  /** Burns the time of one verify, for unknown accounts (no user enumeration by timing). */
  verifyDummy(password: string): Promise<void>;
}

/**
 * bcrypt through @node-rs/bcrypt, whose async functions run on libuv's
 * thread pool, so the event loop stays free while a hash is computed.
 */
export function createPasswordHasher(rounds: number): PasswordHasher {
  // A hash of a random throw-away secret at the same cost as real hashes.
  const dummyHash = hash(crypto.randomUUID(), rounds);
  return {
    hash: (password) => hash(password, rounds),
    verify: async (password, hashed) => {
      try {
        return await compare(password, hashed);
      } catch {
        return false; // a malformed stored hash never authenticates
      }
    },
    verifyDummy: async (password) => {
      await compare(password, await dummyHash);
    },
  };
}
