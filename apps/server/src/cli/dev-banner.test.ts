import { describe, expect, it } from "vitest";

import { banner } from "./dev-banner";

const urls = { api: "http://127.0.0.1:8000", web: "http://localhost:3000", admin: "http://localhost:3001" };

describe("the npm start banner", () => {
  it("lists the three URLs, the dev mailbox and the first-admin command", () => {
    const text = banner({ ...urls, devMailbox: true });
    expect(text).toMatch(/Web app +http:\/\/localhost:3000\n/);
    expect(text).toMatch(/Admin panel +http:\/\/localhost:3001\n/);
    expect(text).toMatch(/API +http:\/\/127\.0\.0\.1:8000\/trpc /);
    expect(text).toMatch(/Dev mailbox +http:\/\/127\.0\.0\.1:8000\/dev\/mailbox /);
    expect(text).toContain("npm run admin:create -- --email you@example.com");
  });

  it("leaves the mailbox out when mail is really sent", () => {
    expect(banner({ ...urls, devMailbox: false })).not.toMatch(/mailbox/i);
  });
});
