import { randomBytes } from "node:crypto";

// The real server, started in-process the same way the server's own tests do.
export { startTestServer, type TestServer } from "@voiceassist/testing/server";
export { decodePayload, forge } from "@voiceassist/testing/tokens";

export const PASSWORD = "correct-horse-battery";
export const uniqueEmail = (label = "client") => `${label}-${randomBytes(5).toString("hex")}@example.com`;

/**
 * A fetch that records every procedure it carries (a batch counts each of its
 * calls) and can hold back the answers for one procedure, to widen races.
 */
export function recordingFetch(slow?: { path: string; ms: number }) {
  const paths: string[] = [];
  const recorded: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const carried = decodeURIComponent(url.pathname.split("/").pop() ?? "").split(",");
    paths.push(...carried);
    const response = await fetch(input, init);
    if (slow && carried.includes(slow.path)) await new Promise((resolve) => setTimeout(resolve, slow.ms));
    return response;
  };
  return { fetch: recorded, count: (path: string) => paths.filter((p) => p === path).length };
}

/** Each simulated client gets its own address (the test server trusts X-Forwarded-For from loopback). */
export const fromIp = () => ({ "x-forwarded-for": `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}` });
