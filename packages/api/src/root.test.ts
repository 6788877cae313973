import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { tokenPair } from "@voiceassist/testing/users";

import { createContext, type ApiDeps, type RequestInfo } from "./context";
import { createCaller, type RouterOutputs } from "./root";
import { testApiDeps } from "../test/support";

describe("appRouter through createCaller (no HTTP)", () => {
  let testDb: TestDatabase;
  let deps: ApiDeps;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    deps = testApiDeps(testDb.handle.db);
  });
  afterAll(() => testDb?.destroy());

  const request = (overrides: Partial<RequestInfo> = {}): RequestInfo => ({
    ip: "192.0.2.1",
    userAgent: "vitest",
    requestId: "req-1",
    authorization: null,
    ...overrides,
  });
  const caller = (overrides?: Partial<RequestInfo>) => createCaller(createContext(deps, request(overrides)));

  it("registers, logs in and authenticates with the bearer token", async () => {
    const { user } = await caller().auth.register({ email: "Caller@Example.com", password: "caller-password" });
    expect(user.email).toBe("caller@example.com");
    const pair = tokenPair(await caller().auth.login({ email: "caller@example.com", password: "caller-password" }));
    const me = await caller({ authorization: `Bearer ${pair.accessToken}` }).auth.me();
    expect(me.id).toBe(user.id);
    await expect(caller().auth.me()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("maps domain errors to tRPC codes and keeps the cause", async () => {
    await caller().auth.register({ email: "dupe@example.com", password: "caller-password" });
    const error = await caller()
      .auth.register({ email: "DUPE@example.com", password: "caller-password" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CONFLICT", message: "Email already registered" });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("rate-limits per call with the request's IP", async () => {
    const limited = caller({ ip: "192.0.2.99" });
    const codes = [];
    for (let i = 0; i < 11; i++) {
      codes.push(
        await limited.auth.login({ email: "nobody@example.com", password: "whatever-pw" }).then(
          () => "OK",
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(codes.slice(0, 10).every((c) => c === "UNAUTHORIZED")).toBe(true);
    expect(codes[10]).toBe("TOO_MANY_REQUESTS");
  });

  it("types flow from the router: PublicUser has no password hash", () => {
    type Me = RouterOutputs["auth"]["me"];
    expectTypeOf<Me>().toHaveProperty("email").toEqualTypeOf<string>();
    expectTypeOf<Me>().toHaveProperty("lastLogin").toEqualTypeOf<Date | null>();
    expectTypeOf<Me>().not.toHaveProperty("hashedPassword");
    type Login = RouterOutputs["auth"]["login"];
    expectTypeOf<Extract<Login, { tokenType: unknown }>["tokenType"]>().toEqualTypeOf<"bearer">();
    expectTypeOf<Extract<Login, { mfaRequired: true }>["challengeToken"]>().toEqualTypeOf<string>();
  });
});
