// The types the published .d.ts is printed from (build/api-contract.ts): the router's
// procedures with every input, output and error shape spelled out structurally, so
// nothing in them names @voiceassist/api, its database rows or its context.
import type { AnyTRPCProcedure } from "@trpc/server";

import type { AppRouter, MfaChallenge, PublicUser, TokenPair } from "@voiceassist/api";

/** T written out member by member (`& {}` keeps the printer from naming the alias). */
type Plain<T> = T extends Date
  ? Date
  : T extends (infer U)[]
    ? Plain<U>[]
    : T extends readonly (infer U)[]
      ? readonly Plain<U>[]
      : T extends object
        ? { [K in keyof T]: Plain<T[K]> } & {}
        : T;

type Procedures<R> = {
  [K in keyof R]: R[K] extends AnyTRPCProcedure
    ? { type: R[K]["_def"]["type"]; input: Plain<R[K]["_def"]["$types"]["input"]>; output: Plain<R[K]["_def"]["$types"]["output"]> }
    : Procedures<R[K]>;
} & {};

export type Contract = Procedures<AppRouter["_def"]["record"]>;
export type ErrorShape = Plain<AppRouter["_def"]["_config"]["$types"]["errorShape"]>;
export type PlainTokenPair = Plain<TokenPair>;
export type PlainPublicUser = Plain<PublicUser>;
export type PlainMfaChallenge = Plain<MfaChallenge>;
