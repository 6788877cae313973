import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { FormAlert, formErrors, Notice, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";

/**
 * Nextcloud's state as health.ready sees it (including the circuit breaker: "credentials
 * rejected", "throttled by brute-force protection"), and the bulk retry of failed provisioning.
 */
export function NextcloudPanel() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const ready = useQuery({ ...trpc.health.ready.queryOptions(), refetchInterval: 30_000, retry: false });
  const [notice, setNotice] = useState<string | null>(null);
  const retryAll = useMutation(
    trpc.users.retryProvisioning.mutationOptions({
      onSuccess: async (result) => {
        const queued = "queued" in result ? result.queued : 0;
        setNotice(queued === 0 ? "No failed provisioning to retry." : `${queued} ${queued === 1 ? "user" : "users"} queued again.`);
        await invalidate();
      },
    }),
  );

  const check = ready.data?.checks.nextcloud;
  if (!check || check.status === "disabled") return null;
  const paused = check.status === "down" && (check.detail === "credentials rejected" || check.detail?.startsWith("throttled"));
  return (
    <section className="card" aria-labelledby="nextcloud-title">
      <h2 id="nextcloud-title">Nextcloud</h2>
      <p>
        {check.status === "up" ? "Connected." : `Unavailable: ${check.detail ?? "not answering"}.`}
        {paused
          ? " Provisioning is paused (circuit breaker open) and re-checks every few minutes; fix the admin credentials or wait for Nextcloud's brute-force window to pass."
          : ""}
      </p>
      <FormAlert message={formErrors(retryAll.error).message} />
      <Notice message={notice} tone="success" />
      <button type="button" className="secondary" onClick={() => retryAll.mutate({ all: true })} disabled={retryAll.isPending}>
        {retryAll.isPending ? "Queuing…" : "Retry all failed provisioning"}
      </button>
    </section>
  );
}
