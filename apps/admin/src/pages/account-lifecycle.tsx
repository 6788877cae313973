import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { Field, FormAlert, formErrors, useFocusOnError, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";
import type { AdminUser, Notify } from "./user-detail";

/**
 * Delete, restore and erase, told apart: a live account can be deleted (a
 * reversible soft delete); a deleted one restored, or erased for good behind
 * typing its email. An erased account has nothing left to act on.
 */
export function AccountLifecycle({ user, notify }: { user: AdminUser; notify: Notify }) {
  if (user.erasedAt) return null;
  if (!user.deletedAt) return <DeleteUser user={user} notify={notify} />;
  return (
    <>
      <RestoreUser user={user} notify={notify} />
      <EraseUser user={user} notify={notify} />
    </>
  );
}

/** Soft delete behind an explicit confirmation step; focus moves to the question and back. */
function DeleteUser({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        notify("User deleted: they cannot sign in and every session has ended. Restore brings them back.");
        await invalidate();
      },
    }),
  );
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
      <p>
        Deleting keeps the record but blocks sign-in and ends every session. Unlike unticking Active, it marks the account Deleted; it can
        be restored later, or its personal data erased.
      </p>
      {confirming ? (
        <fieldset aria-labelledby="delete-question" className="confirm">
          <p id="delete-question" ref={question} tabIndex={-1}>
            Delete <strong>{user.email}</strong>? They will no longer be able to sign in.
          </p>
          <FormAlert message={formErrors(remove.error).message} />
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                notify(null);
                remove.mutate({ id: user.id });
              }}
              disabled={remove.isPending}
            >
              {remove.isPending ? "Deleting…" : "Yes, delete user"}
            </button>
            <button type="button" className="secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          type="button"
          ref={opener}
          className="danger"
          onClick={() => {
            notify(null);
            setConfirming(true);
          }}
        >
          Delete user…
        </button>
      )}
    </section>
  );
}

function RestoreUser({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const restore = useMutation(
    trpc.users.restore.mutationOptions({
      onSuccess: async () => {
        notify("User restored: they can sign in again with their old password.");
        await invalidate();
      },
    }),
  );
  return (
    <section className="card" aria-labelledby="restore-title">
      <h2 id="restore-title">Restore user</h2>
      <p>Restoring makes the account active again. Sessions ended by the delete stay ended.</p>
      <FormAlert message={formErrors(restore.error).message} />
      <button
        type="button"
        onClick={() => {
          notify(null);
          restore.mutate({ id: user.id });
        }}
        disabled={restore.isPending}
      >
        {restore.isPending ? "Restoring…" : "Restore user"}
      </button>
    </section>
  );
}

/** Erasing cannot be undone, so the email must be typed out before the button does anything. */
function EraseUser({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const [typed, setTyped] = useState("");
  const erase = useMutation(
    trpc.users.erase.mutationOptions({
      onSuccess: async () => {
        notify("Personal data erased. The account remains only as an id in the audit log.");
        await invalidate();
      },
    }),
  );
  const errors = formErrors(erase.error);
  const form = useFocusOnError(erase.error, "summary");
  const matches = typed.trim().toLowerCase() === user.email;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    notify(null);
    if (matches) erase.mutate({ id: user.id, confirmEmail: typed.trim() });
  }

  return (
    <form ref={form} className="card danger" aria-labelledby="erase-title" onSubmit={onSubmit} noValidate>
      <h2 id="erase-title">Erase personal data</h2>
      <p>
        Replaces the email and name by placeholders, removes the password, second factors and sessions, and strips names and emails from the
        audit log. <strong>This cannot be undone.</strong>
      </p>
      <FormAlert message={errors.message} fields={errors.fields} />
      <Field
        label={`Type ${user.email} to confirm`}
        name="confirmEmail"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(event) => {
          setTyped(event.target.value);
          if (erase.error) erase.reset();
        }}
        errors={errors.fields.confirmEmail}
      />
      <button type="submit" className="danger" disabled={!matches || erase.isPending}>
        {erase.isPending ? "Erasing…" : "Erase personal data"}
      </button>
    </form>
  );
}
