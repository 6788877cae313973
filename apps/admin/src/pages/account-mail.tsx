import { useMutation } from "@tanstack/react-query";

import { FormAlert, formErrors, Notice, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";
import type { AdminUser } from "./user-detail";

/**
 * Mails the user a link: a fresh invitation while they have not accepted one (older links stop
 * working), else a password reset link.
 */
export function AccountMail({ user }: { user: AdminUser }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const resendInvite = useMutation(trpc.users.invite.mutationOptions({ onSuccess: invalidate }));
  const sendReset = useMutation(trpc.users.sendPasswordReset.mutationOptions({ onSuccess: invalidate }));
  const invited = Boolean(user.invitedAt);
  const pending = resendInvite.isPending || sendReset.isPending;
  const error = resendInvite.error ?? sendReset.error;

  return (
    <section className="card" aria-labelledby="account-mail-title">
      <h2 id="account-mail-title">{invited ? "Invitation" : "Password reset"}</h2>
      <p>
        {invited
          ? "This person has not accepted the invitation yet and cannot sign in. A new invitation replaces the old link."
          : "Mail the user a link to choose a new password (it works once, for 1 hour). Their current password keeps working until they use it."}
      </p>
      <FormAlert message={formErrors(error).message} />
      <div className="actions">
        {invited ? (
          <button type="button" disabled={pending} onClick={() => resendInvite.mutate({ email: user.email })}>
            {resendInvite.isPending ? "Sending…" : "Resend invitation"}
          </button>
        ) : (
          <button type="button" disabled={pending || !user.isActive} onClick={() => sendReset.mutate({ id: user.id })}>
            {sendReset.isPending ? "Sending…" : "Send password reset"}
          </button>
        )}
      </div>
      <Notice tone="success" message={resendInvite.isSuccess ? `A new invitation is on its way to ${user.email}.` : null} />
      <Notice tone="success" message={sendReset.isSuccess ? `A password reset link is on its way to ${user.email}.` : null} />
    </section>
  );
}
