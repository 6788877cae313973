import { useState, type FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, Notice, text, useAction } from "@voiceassist/ui";

import { api } from "../api";
import type { User } from "./profile";

type Changes = NonNullable<RouterInputs["users"]["updateMe"]>;
const updateMe = (changes: Changes) => api.users.updateMe.mutate(changes);

export function ProfileForm({ user, onSaved }: { user: User; onSaved: (user: User) => void }) {
  const action = useAction(updateMe);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const fullName = text(form, "fullName").trim() || null;
    const email = text(form, "email").trim();
    // Send only what changed, so an untouched email never trips the uniqueness check.
    const changes: Changes = {};
    if (fullName !== user.fullName) changes.fullName = fullName;
    if (email.toLowerCase() !== user.email) changes.email = email;
    const result = await action.run(changes);
    if (result.ok) {
      onSaved(result.value);
      setSaved(true);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="card" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">Edit profile</h2>
      <FormAlert message={action.message} />
      <Field label="Full name" name="fullName" autoComplete="name" defaultValue={user.fullName ?? ""} errors={action.fieldErrors.fullName} />
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={user.email} errors={action.fieldErrors.email} />
      <button type="submit" disabled={action.pending}>
        {action.pending ? "Saving…" : "Save profile"}
      </button>
      <Notice message={saved ? "Profile saved." : null} tone="success" />
    </form>
  );
}
