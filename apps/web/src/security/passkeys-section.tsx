import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import {
  createPasskey,
  Field,
  FormAlert,
  Notice,
  passkeyErrors,
  retryMessage,
  text,
  useFocusOnError,
  useRetryCountdown,
  useSession,
} from "@voiceassist/ui";

import { PASSWORD_FIELD, ProofForm, type ProofField } from "./proof-form";
import { formatWhen, useRefreshSecurity } from "./refresh";

type MfaStatus = RouterOutputs["mfa"]["status"];
type Passkey = MfaStatus["passkeys"][number];

/**
 * Passkeys: each one signs in without a password, or serves as the second
 * step after it. Adding one takes the password; removing one takes the
 * password or a code, and the last second factor takes a code.
 */
export function PasskeysSection({ status, signedInWithSecondFactor }: { status: MfaStatus; signedInWithSecondFactor: boolean }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const act = (change: () => void) => {
    setNotice(null);
    change();
  };

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p>
        A passkey lets this device (or a security key) sign you in with your fingerprint, face or screen lock, without typing a password.
      </p>
      <Notice tone="success" message={notice} />
      {status.passkeys.length === 0 ? <p>No passkeys yet.</p> : null}
      {status.passkeys.length > 0 ? (
        <ul className="item-list" aria-label="Your passkeys">
          {status.passkeys.map((passkey) => (
            <li key={passkey.id}>
              <div className="item-head">
                <strong className="item-name">{passkey.name}</strong>
                {removing === passkey.id ? null : (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() => act(() => setRemoving(passkey.id))}
                  >
                    Remove
                  </button>
                )}
              </div>
              <p className="item-meta">
                Added {formatWhen(passkey.createdAt)} · Last used {formatWhen(passkey.lastUsedAt)}
              </p>
              {removing === passkey.id ? (
                <RemovePasskey
                  passkey={passkey}
                  proof={removalProof(status, signedInWithSecondFactor)}
                  onDone={(message) => {
                    setRemoving(null);
                    setNotice(message);
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {adding ? (
        <AddPasskey
          onDone={(message) => {
            setAdding(false);
            setNotice(message);
          }}
        />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => act(() => setAdding(true))}>
            Add a passkey
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * What removing a passkey asks for, following the server's rule: the password,
 * except for the last second factor, which takes a code. An account with only
 * passkeys has no code; there the password is enough from a session that
 * signed in with a second factor, and otherwise the person must sign in so first.
 */
function removalProof(status: MfaStatus, signedInWithSecondFactor: boolean): ProofField | "sign-in-again" {
  const isLast = !status.totp && status.passkeys.length <= 1;
  if (!isLast) return PASSWORD_FIELD;
  if (status.backupCodesRemaining > 0)
    return { name: "code", label: "A backup code", hint: "Removing your last second factor takes a code." };
  return signedInWithSecondFactor ? PASSWORD_FIELD : "sign-in-again";
}

function RemovePasskey({
  passkey,
  proof,
  onDone,
}: {
  passkey: Passkey;
  proof: ProofField | "sign-in-again";
  onDone: (message: string | null) => void;
}) {
  const { client } = useSession();
  const refresh = useRefreshSecurity();
  const remove = useMutation({
    mutationFn: (input: { code: string } | { currentPassword: string }) => client.mfa.passkeys.remove.mutate({ id: passkey.id, ...input }),
    onSuccess: async () => {
      onDone(`Passkey “${passkey.name}” removed. Your other sessions were signed out.`);
      await refresh();
    },
  });
  if (proof === "sign-in-again") {
    return (
      <div className="alert alert-warning">
        <p>This is your last passkey. To remove it, sign out and sign in again with it (“Sign in with a passkey”), then come back here.</p>
        <button type="button" className="link" onClick={() => onDone(null)}>
          Keep it
        </button>
      </div>
    );
  }
  return (
    <ProofForm
      title={`Remove ${passkey.name}`}
      field={proof}
      submit="Remove passkey"
      pending="Removing…"
      isPending={remove.isPending}
      error={remove.error}
      onProof={(value) => remove.mutate(proof.name === "code" ? { code: value } : { currentPassword: value })}
      onCancel={() => onDone(null)}
    >
      <p>
        Remove <strong>{passkey.name}</strong>? It will no longer sign you in. Your other sessions will be signed out.
      </p>
    </ProofForm>
  );
}

/** Name and password, then the browser's prompt to make the passkey; the server checks and stores it. */
function AddPasskey({ onDone }: { onDone: (message: string | null) => void }) {
  const { client } = useSession();
  const refresh = useRefreshSecurity();
  const add = useMutation({
    mutationFn: async ({ name, currentPassword }: { name: string; currentPassword: string }) => {
      const options = await client.mfa.passkeys.registrationOptions.mutate({ currentPassword });
      const response = await createPasskey(options);
      return client.mfa.passkeys.register.mutate({ response, ...(name ? { name } : {}) });
    },
    onSuccess: async (passkey) => {
      onDone(`Passkey “${passkey.name}” added. Your other sessions were signed out.`);
      await refresh();
    },
  });
  const errors = passkeyErrors(add.error);
  const retryIn = useRetryCountdown(add.error);
  const form = useFocusOnError(add.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    add.mutate({ name: text(data, "name").trim(), currentPassword: text(data, "currentPassword") });
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label="Add a passkey">
      <FormAlert message={retryIn === null ? errors.message : retryMessage(retryIn)} />
      <Field
        label="Name (optional)"
        name="name"
        autoComplete="off"
        maxLength={100}
        hint="So you can tell your passkeys apart, e.g. “Work laptop”."
        errors={errors.fields.name}
      />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={errors.fields.currentPassword}
      />
      <div className="actions">
        <button type="submit" disabled={add.isPending || Boolean(retryIn)}>
          {add.isPending ? "Waiting for your device…" : "Create passkey"}
        </button>
        <button type="button" className="secondary" onClick={() => onDone(null)} disabled={add.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
