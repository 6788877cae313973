import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { FormAlert, formErrors, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";
import type { AdminUser } from "./user-detail";

/** Soft delete behind an explicit confirmation step; focus moves to the question and back. */
export function DeleteUser({ user, onDeleted }: { user: AdminUser; onDeleted: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        onDeleted();
        await invalidate();
      },
    }),
  );
  const [confirming, setConfirming] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    remove.reset();
    setTimeout(() => opener.current?.focus());
  };

  return (
    <section className="card danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete user</h2>
      <p>Deleting keeps the record but deactivates the account and signs it out everywhere.</p>
      {confirming ? (
        <fieldset aria-labelledby="delete-question" className="confirm">
          <p id="delete-question" ref={question} tabIndex={-1}>
            Delete <strong>{user.email}</strong>? They will no longer be able to sign in.
          </p>
          <FormAlert message={formErrors(remove.error).message} />
          <div className="actions">
            <button type="button" className="danger" onClick={() => remove.mutate({ id: user.id })} disabled={remove.isPending}>
              {remove.isPending ? "Deleting…" : "Yes, delete user"}
            </button>
            <button type="button" className="secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="button" ref={opener} className="danger" onClick={() => setConfirming(true)}>
          Delete user…
        </button>
      )}
    </section>
  );
}
