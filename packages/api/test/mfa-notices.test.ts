import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { mailOutbox } from "@voiceassist/db";

import { tellUserAboutMfa, type MfaNotice } from "../src/services/mfa/notices";
import { procedureHarness, type ProcedureHarness } from "./support";

let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness();
});
afterAll(() => h?.destroy());

const NOTICES: MfaNotice[] = [
  { kind: "totp_enabled" },
  { kind: "totp_disabled" },
  { kind: "passkey_added", name: "Laptop" },
  { kind: "passkey_removed", name: "Laptop" },
  { kind: "backup_codes_regenerated" },
  { kind: "mfa_reset_by_admin" },
  { kind: "mfa_reset_by_cli" },
];

const outboxOf = (userId: string) =>
  h.db.select({ template: mailOutbox.template, toAddress: mailOutbox.toAddress }).from(mailOutbox).where(eq(mailOutbox.userId, userId));

describe("tellUserAboutMfa", () => {
  it("queues a notice only if the transaction it was called in commits", async () => {
    const me = await h.signUp();
    const before = (await outboxOf(me.user.id)).length;
    for (const notice of NOTICES) {
      await expect(
        h.db.transaction(async (tx) => {
          await tellUserAboutMfa(tx, h.deps.mail.settings, me.user.id, notice);
          // The row is there inside the transaction…
          expect((await tx.select().from(mailOutbox).where(eq(mailOutbox.userId, me.user.id))).length).toBe(before + 1);
          throw new Error("the change failed after its notice was queued");
        }),
      ).rejects.toThrow("the change failed");
    }
    // …and gone with it.
    expect(await outboxOf(me.user.id)).toHaveLength(before);

    for (const notice of NOTICES) await h.db.transaction((tx) => tellUserAboutMfa(tx, h.deps.mail.settings, me.user.id, notice));
    const queued = (await outboxOf(me.user.id)).slice(before);
    expect(queued.map((row) => row.template).sort()).toEqual([...Array(5).fill("mfa_changed"), "mfa_reset", "mfa_reset"]);
    expect(new Set(queued.map((row) => row.toAddress))).toEqual(new Set([me.email]));
  });
});
