import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";

import { useTRPC } from "@voiceassist/ui";

import { FEW_BACKUP_CODES } from "./totp-section";

/** The profile's way to the Security page, with the one thing worth acting on now: few backup codes left. */
export function SecurityCard({ mfaEnabled }: { mfaEnabled: boolean }) {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.mfa.status.queryOptions(), enabled: mfaEnabled });
  const remaining = status.data?.totp ? status.data.backupCodesRemaining : null;
  return (
    <section aria-labelledby="security-title" className="card">
      <h2 id="security-title">Security</h2>
      {remaining !== null && remaining <= FEW_BACKUP_CODES ? (
        <p className="alert alert-warning">
          <strong>
            {remaining === 0 ? "You have no backup codes left." : `Only ${remaining} backup ${remaining === 1 ? "code" : "codes"} left.`}
          </strong>{" "}
          Get new ones on the Security page.
        </p>
      ) : null}
      <p>
        Second sign-in step: <strong>{mfaEnabled ? "on" : "off"}</strong>.{" "}
        {mfaEnabled ? "" : "Add an authenticator app or a passkey to protect your account. "}
        <Link to="/security">Manage security and sessions</Link>
      </p>
    </section>
  );
}
