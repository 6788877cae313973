import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { Field, FormAlert, formErrors, Notice, retryMessage, text, useFocusOnError, useRetryCountdown, useTRPC } from "@voiceassist/ui";

import { BackupCodesOnce } from "./backup-codes";
import { CODE_FIELD, PASSWORD_FIELD, ProofForm } from "./proof-form";
import { useRefreshSecurity } from "./refresh";

type MfaStatus = RouterOutputs["mfa"]["status"];
type TotpSetup = RouterOutputs["mfa"]["totp"]["begin"];

type Step =
  | { kind: "idle" }
  | { kind: "password" }
  | { kind: "scan"; setup: TotpSetup }
  | { kind: "codes"; codes: string[]; done: string }
  | { kind: "disable" }
  | { kind: "regenerate" };

/** At or below this many unused backup codes, the page warns. */
export const FEW_BACKUP_CODES = 2;

/**
 * The authenticator app (TOTP): set-up with the password, a QR code and a
 * first code; the backup codes that come with it, shown once; and turning it
 * off or replacing the codes, each with a current code.
 */
export function TotpSection({ status }: { status: MfaStatus }) {
  const trpc = useTRPC();
  const refresh = useRefreshSecurity();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [notice, setNotice] = useState<string | null>(null);
  const go = (next: Step) => {
    setNotice(null);
    setStep(next);
  };

  const begin = useMutation(trpc.mfa.totp.begin.mutationOptions({ onSuccess: (setup) => go({ kind: "scan", setup }) }));
  const disable = useMutation(
    trpc.mfa.totp.disable.mutationOptions({
      onSuccess: async () => {
        go({ kind: "idle" });
        setNotice("The authenticator app is off. Your other sessions were signed out.");
        await refresh();
      },
    }),
  );
  const regenerate = useMutation(
    trpc.mfa.backupCodes.regenerate.mutationOptions({
      onSuccess: async ({ backupCodes }) => {
        go({ kind: "codes", codes: backupCodes, done: "New backup codes saved; the old ones no longer work." });
        await refresh();
      },
    }),
  );

  if (step.kind === "codes") {
    return (
      <BackupCodesOnce
        codes={step.codes}
        onDone={() => {
          setStep({ kind: "idle" });
          setNotice(step.done);
        }}
      />
    );
  }

  const remaining = status.backupCodesRemaining;
  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">Authenticator app</h2>
      <Notice tone="success" message={notice} />
      {status.totp ? (
        <>
          <p>
            <span className="badge badge-on">On</span> Signing in asks for a code from your authenticator app.
          </p>
          {remaining <= FEW_BACKUP_CODES ? (
            <p className="alert alert-warning" role="status">
              <strong>
                {remaining === 0
                  ? "You have no backup codes left."
                  : `Only ${remaining} backup ${remaining === 1 ? "code" : "codes"} left.`}
              </strong>{" "}
              Get new ones so you can still sign in if you lose your phone.
            </p>
          ) : (
            <p>{remaining} unused backup codes.</p>
          )}
        </>
      ) : (
        <p>
          <span className="badge">Off</span> Add an app such as Google Authenticator, Microsoft Authenticator or 1Password: signing in will
          then ask for the 6-digit code it shows.
        </p>
      )}

      {step.kind === "idle" ? (
        <div className="actions">
          {status.totp ? (
            <>
              <button type="button" className="secondary" onClick={() => go({ kind: "regenerate" })}>
                Get new backup codes
              </button>
              <button type="button" className="secondary" onClick={() => go({ kind: "disable" })}>
                Turn off
              </button>
            </>
          ) : (
            <button type="button" onClick={() => go({ kind: "password" })}>
              Set up an authenticator app
            </button>
          )}
        </div>
      ) : null}

      {step.kind === "password" ? (
        <ProofForm
          title="Confirm your password"
          field={PASSWORD_FIELD}
          submit="Continue"
          pending="Checking…"
          isPending={begin.isPending}
          error={begin.error}
          onProof={(currentPassword) => begin.mutate({ currentPassword })}
          onCancel={() => {
            begin.reset();
            go({ kind: "idle" });
          }}
        />
      ) : null}
      {step.kind === "scan" ? (
        <ScanAndConfirm
          setup={step.setup}
          onConfirmed={async (codes) => {
            go({ kind: "codes", codes, done: "The authenticator app is on. Your other sessions were signed out." });
            await refresh();
          }}
          onCancel={() => go({ kind: "idle" })}
        />
      ) : null}
      {step.kind === "regenerate" ? (
        <ProofForm
          title="Get new backup codes"
          field={CODE_FIELD}
          submit="Get new codes"
          pending="Making codes…"
          isPending={regenerate.isPending}
          error={regenerate.error}
          onProof={(code) => regenerate.mutate({ code })}
          onCancel={() => {
            regenerate.reset();
            go({ kind: "idle" });
          }}
        >
          <p>Your current backup codes stop working.</p>
        </ProofForm>
      ) : null}
      {step.kind === "disable" ? (
        <ProofForm
          title="Turn off the authenticator app"
          field={CODE_FIELD}
          submit="Turn off"
          pending="Turning off…"
          isPending={disable.isPending}
          error={disable.error}
          onProof={(code) => disable.mutate({ code })}
          onCancel={() => {
            disable.reset();
            go({ kind: "idle" });
          }}
        >
          <p>Your backup codes stop working too, unless you keep a passkey. Your other sessions will be signed out.</p>
        </ProofForm>
      ) : null}
    </section>
  );
}

/** The QR code (and the key to type, for an app on this device), then the first code to prove it works. */
function ScanAndConfirm({
  setup,
  onConfirmed,
  onCancel,
}: {
  setup: TotpSetup;
  onConfirmed: (codes: string[]) => Promise<void>;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const confirm = useMutation(trpc.mfa.totp.confirm.mutationOptions({ onSuccess: ({ backupCodes }) => onConfirmed(backupCodes) }));
  const errors = formErrors(confirm.error);
  const retryIn = useRetryCountdown(confirm.error);
  const form = useFocusOnError(confirm.error);
  // An <img> of the server's SVG: shown as a picture, never parsed into the page.
  const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate({ code: text(new FormData(event.currentTarget), "code") });
  }

  return (
    <div className="totp-setup">
      <ol className="steps">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          <img className="qr-code" src={qrSource} alt="QR code to add VoiceAssist to your authenticator app" width={200} height={200} />
          <details>
            <summary>Cannot scan it? Enter the key by hand</summary>
            <p>
              Key: <code className="secret">{setup.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
            </p>
            <p className="hint">Time-based, 6 digits, every 30 seconds.</p>
            <p>
              On this device: <a href={setup.otpauthUri}>open in your authenticator app</a>
            </p>
          </details>
        </li>
        <li>
          <form ref={form} onSubmit={onSubmit} noValidate aria-label="Confirm the authenticator app">
            <FormAlert message={retryIn === null ? errors.message : retryMessage(retryIn)} />
            <Field
              label="Code from the app"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              hint="Enter the 6 digits the app shows now."
              errors={errors.fields.code}
            />
            <div className="actions">
              <button type="submit" disabled={confirm.isPending || Boolean(retryIn)}>
                {confirm.isPending ? "Checking…" : "Turn on"}
              </button>
              <button type="button" className="secondary" onClick={onCancel} disabled={confirm.isPending}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
