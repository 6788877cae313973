import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { errorCode, errorReason, type MfaChallenge, type RouterInputs } from "@voiceassist/client";

import { FormAlert } from "./alert";
import { useSession } from "./api-provider";
import { Field } from "./field";
import { text } from "./form-data";
import { Page } from "./page";
import { askForPasskey, passkeyErrors } from "./passkey-ceremony";
import { signInOptions, type SignInGate } from "./sign-in-gate";
import { useFocusOnError } from "./use-focus-on-error";
import { retryMessage, useRetryCountdown } from "./use-retry-countdown";

type Answer = Omit<RouterInputs["auth"]["mfa"]["verify"], "challengeToken">;

/** Why the password step is shown again: the challenge died (5 minutes, or 5 wrong answers). */
export const CHALLENGE_ENDED = "Your sign-in timed out or had too many wrong codes. Enter your password again.";
const WRONG_CODE = "That code is not right, or it was already used. Check it and try again.";

/**
 * The second sign-in step, after a password answered with an MfaChallenge:
 * a code from the authenticator app, a backup code, or a passkey, offering
 * only what the challenge lists. Success keeps the session (the app's route
 * guard then moves on); a dead challenge goes back to the password via
 * `onRestart` with the reason, Cancel without one.
 */
export function SecondFactorStep({
  challenge,
  gate,
  onRestart,
}: {
  challenge: MfaChallenge;
  gate?: SignInGate | undefined;
  onRestart: (reason: string | null) => void;
}) {
  const session = useSession();
  const { challengeToken, methods } = challenge;
  const hasTotp = methods.includes("totp");
  const hasBackupCodes = methods.includes("backup_code");
  const hasPasskey = methods.includes("webauthn");
  const [useBackupCode, setUseBackupCode] = useState(!hasTotp);

  const onSuccess = (pair: unknown) => {
    if (pair === null) gate?.onRefused?.();
    else gate?.onSignedIn?.();
  };
  const verify = useMutation({
    mutationFn: (answer: Answer) => session.verifySecondFactor({ challengeToken, ...answer }, signInOptions(gate)),
    onSuccess,
  });
  const passkey = useMutation({
    mutationFn: async () => {
      const options = await session.client.auth.mfa.webauthnOptions.mutate({ challengeToken });
      const webauthn = await askForPasskey(options);
      return session.verifySecondFactor({ challengeToken, webauthn }, signInOptions(gate));
    },
    onSuccess,
  });
  const error = verify.error ?? passkey.error;
  const retryIn = useRetryCountdown(error);
  const form = useFocusOnError(error, "summary");
  const busy = verify.isPending || passkey.isPending;

  // The server ends the challenge after 5 minutes; say so then rather than at the next answer.
  useEffect(() => {
    const timer = setTimeout(() => onRestart(CHALLENGE_ENDED), challenge.expiresIn * 1000);
    return () => clearTimeout(timer);
  }, [challenge, onRestart]);
  useEffect(() => {
    if (errorReason(error) === "INVALID_TOKEN") onRestart(CHALLENGE_ENDED);
  }, [error, onRestart]);

  const errors = passkeyErrors(error);
  const message = retryIn !== null ? retryMessage(retryIn) : errorCode(error) === "UNAUTHORIZED" ? WRONG_CODE : errors.message;
  const codeName = useBackupCode ? "backupCode" : "totpCode";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    passkey.reset();
    const code = text(new FormData(event.currentTarget), codeName);
    verify.mutate(useBackupCode ? { backupCode: code } : { totpCode: code });
  }

  // After switching between the app's code and a backup code, the new field takes focus.
  const switched = useRef(false);
  useEffect(() => {
    if (switched.current) form.current?.querySelector<HTMLInputElement>(`input[name="${codeName}"]`)?.focus();
  }, [codeName, form]);

  function switchCode() {
    verify.reset();
    switched.current = true;
    setUseBackupCode((backup) => !backup);
  }

  return (
    <Page title="Confirm it's you">
      <p>Your account has a second sign-in step.</p>
      <form ref={form} onSubmit={onSubmit} noValidate aria-label="Second step">
        <FormAlert message={message} fields={errors.fields} />
        {hasTotp || hasBackupCodes ? (
          <>
            {useBackupCode ? (
              <Field
                key="backupCode"
                label="Backup code"
                name="backupCode"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                hint="One of the codes you saved when you set up your authenticator app. Each works once."
                errors={errors.fields.backupCode}
              />
            ) : (
              <Field
                key="totpCode"
                label="Code from your authenticator app"
                name="totpCode"
                inputMode="numeric"
                autoComplete="one-time-code"
                hint="The 6 digits the app shows now."
                errors={errors.fields.totpCode}
              />
            )}
            <div className="actions">
              <button type="submit" disabled={busy || Boolean(retryIn)}>
                {verify.isPending ? "Checking…" : "Verify"}
              </button>
              {hasTotp && hasBackupCodes ? (
                <button type="button" className="secondary" onClick={switchCode}>
                  {useBackupCode ? "Use the authenticator app instead" : "Use a backup code"}
                </button>
              ) : null}
            </div>
          </>
        ) : null}
        {hasPasskey ? (
          <div className="alternative">
            {hasTotp || hasBackupCodes ? <p className="hint">Or confirm with a passkey on this device or a security key.</p> : null}
            <button
              type="button"
              className={hasTotp || hasBackupCodes ? "secondary" : undefined}
              disabled={busy || Boolean(retryIn)}
              onClick={() => {
                verify.reset();
                passkey.mutate();
              }}
            >
              {passkey.isPending ? "Waiting for your passkey…" : "Use a passkey"}
            </button>
          </div>
        ) : null}
      </form>
      <p>
        <button type="button" className="link" onClick={() => onRestart(null)}>
          Cancel and start again
        </button>
      </p>
    </Page>
  );
}
