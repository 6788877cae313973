import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, text, useFocusOnError, useFormErrors, useTRPC } from "@voiceassist/ui";

import { useInvalidateAfterUserChange } from "../data";
import { Checkbox } from "../ui/checkbox";
import type { AdminUser, Notify } from "./user-detail";

/**
 * Edits name, email, admin and active. Only what changed is sent, and a save
 * that changes nothing sends nothing and says so. A deleted user's Active box
 * is locked: Restore brings them back. The server's guards come back as messages.
 */
export function UserForm({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: async () => {
        notify("Changes saved.");
        await invalidate();
      },
    }),
  );
  const errors = useFormErrors(update.error);
  const form = useFocusOnError(update.error, "summary");
  const deleted = Boolean(user.deletedAt);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    notify(null);
    const data = new FormData(event.currentTarget);
    const fullName = text(data, "fullName").trim() || null;
    const email = text(data, "email").trim();
    const isAdmin = data.get("isAdmin") === "on";
    const isActive = deleted ? user.isActive : data.get("isActive") === "on";
    // Only what changed is sent, so the audit log records exactly what the admin did.
    const input: RouterInputs["users"]["update"] = { id: user.id };
    if (fullName !== user.fullName) input.fullName = fullName;
    if (email.toLowerCase() !== user.email) input.email = email;
    if (isAdmin !== user.isAdmin) input.isAdmin = isAdmin;
    if (isActive !== user.isActive) input.isActive = isActive;
    if (Object.keys(input).length === 1) {
      update.reset();
      notify("No changes to save.");
      return;
    }
    update.mutate(input);
  }

  return (
    <form ref={form} onSubmit={onSubmit} onInput={errors.onInput} noValidate className="card" aria-labelledby="user-form-title">
      <h2 id="user-form-title">Edit user</h2>
      <FormAlert message={errors.message} fields={errors.fields} />
      <Field label="Full name" name="fullName" defaultValue={user.fullName ?? ""} errors={errors.fields.fullName} />
      <Field label="Email" name="email" type="email" defaultValue={user.email} errors={errors.fields.email} />
      <Checkbox label="Administrator" name="isAdmin" defaultChecked={user.isAdmin} errors={errors.fields.isAdmin} />
      <Checkbox
        label="Active (can sign in)"
        name="isActive"
        defaultChecked={user.isActive}
        disabled={deleted}
        hint={deleted ? "A deleted user comes back with Restore, below." : undefined}
        errors={errors.fields.isActive}
      />
      <button type="submit" disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}
