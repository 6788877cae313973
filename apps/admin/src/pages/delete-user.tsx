import { useEffect, useRef, useState } from "react";

import { FormAlert, useAction } from "@voiceassist/ui";

import { api } from "../api";
import type { AdminUser, SavedUser } from "./user-detail";

const remove = (id: string) => api.users.delete.mutate({ id });

/** Soft delete behind an explicit confirmation step; focus moves to the question and back. */
export function DeleteUser({ user, onDeleted }: { user: AdminUser; onDeleted: (user: SavedUser) => void }) {
  const action = useAction(remove);
  const [confirming, setConfirming] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    action.reset();
    setTimeout(() => opener.current?.focus());
  };

  async function confirm() {
    const result = await action.run(user.id);
    if (result.ok) {
      setConfirming(false);
      onDeleted(result.value);
    }
  }

  return (
    <section className="card danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete user</h2>
      <p>Deleting keeps the record but deactivates the account and signs it out everywhere.</p>
      {confirming ? (
        <div role="group" aria-labelledby="delete-question" className="confirm">
          <p id="delete-question" ref={question} tabIndex={-1}>
            Delete <strong>{user.email}</strong>? They will no longer be able to sign in.
          </p>
          <FormAlert message={action.message} />
          <div className="actions">
            <button type="button" className="danger" onClick={() => void confirm()} disabled={action.pending}>
              {action.pending ? "Deleting…" : "Yes, delete user"}
            </button>
            <button type="button" className="secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" ref={opener} className="danger" onClick={() => setConfirming(true)}>
          Delete user…
        </button>
      )}
    </section>
  );
}
