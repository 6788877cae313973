import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import type { RouterInputs, RouterOutputs } from "@voiceassist/client";
import { Field, FormAlert, formErrors, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";
import { Checkbox } from "../ui/checkbox";

type Invited = RouterOutputs["users"]["invite"];

/**
 * Invites someone by email: the account exists at once, without a password, and cannot sign in
 * until the invitee follows the mailed link and chooses one.
 */
export function InviteUser() {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const [invited, setInvited] = useState<Invited | null>(null);
  const invite = useMutation(trpc.users.invite.mutationOptions({ onSuccess: invalidate }));
  const errors = formErrors(invite.error);
  const form = useFocusOnError(invite.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    const fullName = text(data, "fullName").trim();
    const input: RouterInputs["users"]["invite"] = { email: text(data, "email"), isAdmin: data.get("isAdmin") === "on" };
    if (fullName) input.fullName = fullName;
    setInvited(null);
    invite.mutate(input, {
      onSuccess: (user) => {
        setInvited(user);
        formElement.reset();
      },
    });
  }

  return (
    <details className="card invite">
      <summary>Invite user</summary>
      <form ref={form} onSubmit={onSubmit} noValidate aria-label="Invite user">
        <FormAlert message={errors.message} />
        <Field label="Email" name="email" type="email" autoComplete="off" required errors={errors.fields.email} />
        <Field label="Full name (optional)" name="fullName" autoComplete="off" errors={errors.fields.fullName} />
        <Checkbox label="Administrator" name="isAdmin" errors={errors.fields.isAdmin} />
        <button type="submit" disabled={invite.isPending}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </button>
      </form>
      {invited ? (
        <div role="status" className="alert alert-success">
          Invitation sent to {invited.email}; the link works for 72 hours.{" "}
          <Link to="/users/$id" params={{ id: invited.id }}>
            Open this user
          </Link>
        </div>
      ) : null}
    </details>
  );
}
