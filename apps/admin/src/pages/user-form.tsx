import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, text, useAction } from "@voiceassist/ui";

import { api } from "../api";
import { Checkbox } from "../ui/checkbox";
import type { AdminUser, SavedUser } from "./user-detail";

const update = (input: RouterInputs["users"]["update"]) => api.users.update.mutate(input);

/** Edits name, email, admin and active; the server's guards (e.g. no self-demotion) come back as messages. */
export function UserForm({ user, onSaved }: { user: AdminUser; onSaved: (user: SavedUser) => void }) {
  const action = useAction(update);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fullName = text(form, "fullName").trim() || null;
    const email = text(form, "email").trim();
    const isAdmin = form.get("isAdmin") === "on";
    const isActive = form.get("isActive") === "on";
    // Only what changed is sent, so the audit log records exactly what the admin did.
    const input: RouterInputs["users"]["update"] = { id: user.id };
    if (fullName !== user.fullName) input.fullName = fullName;
    if (email.toLowerCase() !== user.email) input.email = email;
    if (isAdmin !== user.isAdmin) input.isAdmin = isAdmin;
    if (isActive !== user.isActive) input.isActive = isActive;
    const result = await action.run(input);
    if (result.ok) onSaved(result.value);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="card" aria-labelledby="user-form-title">
      <h2 id="user-form-title">Edit user</h2>
      <FormAlert message={action.message} />
      <Field label="Full name" name="fullName" defaultValue={user.fullName ?? ""} errors={action.fieldErrors.fullName} />
      <Field label="Email" name="email" type="email" defaultValue={user.email} errors={action.fieldErrors.email} />
      <Checkbox label="Administrator" name="isAdmin" defaultChecked={user.isAdmin} errors={action.fieldErrors.isAdmin} />
      <Checkbox label="Active (can sign in)" name="isActive" defaultChecked={user.isActive} errors={action.fieldErrors.isActive} />
      <button type="submit" disabled={action.pending}>
        {action.pending ? "Saving…" : "Save changes"}
      </button>
    </form>
  );
}
