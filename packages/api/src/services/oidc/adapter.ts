import { and, eq, lt, sql } from "drizzle-orm";
import type { Adapter, AdapterPayload } from "oidc-provider";

import { oidcProviderRecords, type Database } from "@voiceassist/db";

/**
 * oidc-provider's storage interface over one Postgres table (see the schema):
 * every model the library persists is a row keyed by (model, id), so all
 * instances share it and it survives restarts. Clients are the exception:
 * they come from the admins' registry, loaded by `loadClient`.
 */
export function drizzleAdapterClass(db: Database, loadClient: (clientId: string) => Promise<AdapterPayload | undefined>) {
  return class DrizzleAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      if (this.model === "Client") throw new Error("clients are registered through oidc.clients, not the provider");
      const row = {
        payload: payload as Record<string, unknown>,
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        accountId: payload.accountId ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insert(oidcProviderRecords)
        .values({ model: this.model, id, ...row })
        .onConflictDoUpdate({ target: [oidcProviderRecords.model, oidcProviderRecords.id], set: row });
    }

    async find(id: string) {
      if (this.model === "Client") return loadClient(id);
      return this.findWhere(eq(oidcProviderRecords.id, id));
    }

    async findByUid(uid: string) {
      return this.findWhere(eq(oidcProviderRecords.uid, uid));
    }

    async findByUserCode(userCode: string) {
      return this.findWhere(eq(oidcProviderRecords.userCode, userCode));
    }

    async consume(id: string) {
      await db
        .update(oidcProviderRecords)
        .set({
          consumed: true,
          payload: sql`${oidcProviderRecords.payload} || jsonb_build_object('consumed', extract(epoch from now())::bigint)`,
        })
        .where(this.row(id));
    }

    async destroy(id: string) {
      await db.delete(oidcProviderRecords).where(this.row(id));
    }

    async revokeByGrantId(grantId: string) {
      // Every model of the grant (codes, tokens, the grant itself), not only this adapter's.
      await db.delete(oidcProviderRecords).where(eq(oidcProviderRecords.grantId, grantId));
    }

    private row(id: string) {
      return and(eq(oidcProviderRecords.model, this.model), eq(oidcProviderRecords.id, id));
    }

    /** The live row's payload; an expired one is as good as gone (the sweep deletes it later). */
    private async findWhere(where: ReturnType<typeof eq>): Promise<AdapterPayload | undefined> {
      const [row] = await db
        .select({ payload: oidcProviderRecords.payload })
        .from(oidcProviderRecords)
        .where(
          and(
            eq(oidcProviderRecords.model, this.model),
            where,
            sql`(${oidcProviderRecords.expiresAt} is null or ${oidcProviderRecords.expiresAt} > now())`,
          ),
        )
        .limit(1);
      return row?.payload as AdapterPayload | undefined;
    }
  };
}

/** Deletes provider records that expired; returns how many. */
export async function deleteExpiredOidcRecords(db: Database): Promise<number> {
  const deleted = await db
    .delete(oidcProviderRecords)
    .where(lt(oidcProviderRecords.expiresAt, sql`now()`))
    .returning({ id: oidcProviderRecords.id });
  return deleted.length;
}
