import { describe, expect, it } from "vitest";

import { clientAddress } from "./client-ip";

describe("clientAddress", () => {
  it("gives every spelling of one address the same canonical form and budget, asked once or many times", () => {
    const spellings = ["203.0.113.9", "::ffff:203.0.113.9", "::FFFF:203.0.113.9", "203.0.113.9:5555", "[::ffff:203.0.113.9]:443"];
    for (let round = 0; round < 3; round++) {
      for (const spelling of spellings) {
        expect(clientAddress(spelling, "127.0.0.1")).toEqual({ ip: "203.0.113.9", limitKey: "203.0.113.9" });
      }
    }
  });

  it("counts IPv6 clients by their /64 and drops a zone id", () => {
    expect(clientAddress("2001:db8:1:2:aaaa::1%eth0", undefined)).toEqual({ ip: "2001:db8:1:2:aaaa::1", limitKey: "2001:db8:1:2::/64" });
  });

  it("falls back to the socket for a forwarded value that is not an address, and to unknown for neither", () => {
    expect(clientAddress("not-an-ip", "198.51.100.7")).toEqual({ ip: "198.51.100.7", limitKey: "198.51.100.7" });
    expect(clientAddress("010.1.2.3", "198.51.100.7")).toEqual({ ip: "198.51.100.7", limitKey: "198.51.100.7" });
    expect(clientAddress(undefined, "0x7f.1")).toEqual({ ip: null, limitKey: "unknown" });
  });

  it("keeps answering the same once more distinct clients came than it remembers", () => {
    for (let n = 0; n < 5000; n++) clientAddress(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, undefined);
    expect(clientAddress("10.0.0.1", undefined)).toEqual({ ip: "10.0.0.1", limitKey: "10.0.0.1" });
    expect(clientAddress("10.0.19.135", undefined)).toEqual({ ip: "10.0.19.135", limitKey: "10.0.19.135" });
  });

  it("hands out answers no caller can change for the next", () => {
    const first = clientAddress("192.0.2.44", undefined);
    expect(() => Object.assign(first, { limitKey: "shared" })).toThrow(TypeError);
    expect(clientAddress("192.0.2.44", undefined).limitKey).toBe("192.0.2.44");
  });
});
