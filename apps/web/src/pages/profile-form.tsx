import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, formErrors, Notice, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import type { User } from "./profile";

type Changes = NonNullable<RouterInputs["users"]["updateMe"]>;

export function ProfileForm({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.users.updateMe.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        // The profile is the only cached thing this changes.
        await queryClient.invalidateQueries({ queryKey: trpc.users.me.queryKey() });
      },
    }),
  );
  const errors = formErrors(update.error);
  const form = useFocusOnError(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const data = new FormData(event.currentTarget);
    const fullName = text(data, "fullName").trim() || null;
    // The email changes only through a confirmation link (users.requestEmailChange), not here.
    const changes: Changes = {};
    if (fullName !== user.fullName) changes.fullName = fullName;
    update.mutate(changes);
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="card" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">Edit profile</h2>
      <FormAlert message={errors.message} />
      <Field label="Full name" name="fullName" autoComplete="name" defaultValue={user.fullName ?? ""} errors={errors.fields.fullName} />
      <button type="submit" disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save profile"}
      </button>
      <Notice message={saved ? "Profile saved." : null} tone="success" />
    </form>
  );
}
