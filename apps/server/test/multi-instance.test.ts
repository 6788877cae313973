import { randomBytes } from "node:crypto";

import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, PASSWORD, post, randomIp, signUp } from "@voiceassist/testing/users";
import { testEnv } from "@voiceassist/testing/env";

// Two instances need a shared server database and a shared Redis: the real-services run.
const shared = Boolean(testEnv.databaseUrl && testEnv.redisUrl);

describe.runIf(shared)("two server instances on one Postgres and one Redis", () => {
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    const rateLimitPrefix = `va-test:${randomBytes(6).toString("hex")}`;
    one = await startTestServer({ database, rateLimitPrefix });
    two = await startTestServer({ database, rateLimitPrefix });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.destroy();
  });

  it("a login limit reached through instance 1 holds on instance 2", async () => {
    const ip = randomIp();
    const attempt = (server: TestServer) =>
      post(server, "auth.login", { email: "nobody@example.com", password: PASSWORD }, { "x-forwarded-for": ip });
    for (let i = 0; i < 10; i++) expect((await attempt(one)).response.status).toBe(401);
    const refused = await attempt(two);
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("logout through instance 1 kills the token on instance 2", async () => {
    const user = await signUp(one);
    const onTwo = clientFrom(two, user.ip, () => user.tokens.accessToken);
    expect((await onTwo.auth.me.query()).id).toBe(user.user.id);
    await user.client.auth.logout.mutate();
    expect(await codeOf(onTwo.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("a refresh token rotated on instance 1 is reuse on instance 2", async () => {
    const user = await signUp(one);
    await clientFrom(one).auth.refresh.mutate({ refreshToken: user.tokens.refreshToken });
    expect(await codeOf(clientFrom(two).auth.refresh.mutate({ refreshToken: user.tokens.refreshToken }))).toBe("UNAUTHORIZED");
  });
});
