import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import { Field, FormAlert, Page, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import { NewPasswordFields, PASSWORDS_DIFFER } from "./new-password-fields";
import { useFlash } from "../flash";
import { linkFormErrors, MissingToken, useLinkToken } from "../links/link-token";

/** Accepting does not sign in: the invitee then signs in with the password just chosen. */
export function AcceptInvitePage() {
  const trpc = useTRPC();
  const token = useLinkToken();
  const navigate = useNavigate();
  const { setFlash } = useFlash();
  const [mismatch, setMismatch] = useState<string[] | null>(null);
  const accept = useMutation(
    trpc.auth.acceptInvite.mutationOptions({
      onSuccess: ({ user }) => {
        setFlash({ tone: "success", message: "Your account is ready. Please sign in.", email: user.email });
        void navigate({ to: "/sign-in" });
      },
    }),
  );
  const errors = linkFormErrors(accept.error, "Ask the administrator who invited you to send the invitation again.");
  const form = useFocusOnError(accept.error ?? mismatch);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    const data = new FormData(event.currentTarget);
    accept.reset();
    const password = text(data, "password");
    if (password !== text(data, "confirmPassword")) {
      setMismatch([...PASSWORDS_DIFFER]);
      return;
    }
    setMismatch(null);
    const fullName = text(data, "fullName").trim();
    accept.mutate({ token, password, ...(fullName ? { fullName } : {}) });
  }

  return (
    <Page title="Accept your invitation">
      {token ? (
        <>
          <p>Choose the password you will sign in with.</p>
          <form ref={form} onSubmit={onSubmit} noValidate>
            <FormAlert message={errors.message} />
            <Field label="Full name (optional)" name="fullName" autoComplete="name" errors={errors.fields.fullName} />
            <NewPasswordFields
              name="password"
              label="Password"
              confirmLabel="Confirm password"
              errors={errors.fields.password}
              mismatch={mismatch}
            />
            <button type="submit" disabled={accept.isPending}>
              {accept.isPending ? "Creating your account…" : "Accept invitation"}
            </button>
          </form>
        </>
      ) : (
        <MissingToken what="invitation" />
      )}
      <p>
        Already accepted? <Link to="/sign-in">Sign in</Link>
      </p>
    </Page>
  );
}
