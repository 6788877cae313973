import { useMutation } from "@tanstack/react-query";

import { errorCode } from "@voiceassist/client";

import { FormAlert } from "./alert";
import { useSession } from "./api-provider";
import { askForPasskey, passkeyErrors } from "./passkey-ceremony";
import { signInOptions, type SignInGate } from "./sign-in-gate";
import { retryMessage, useRetryCountdown } from "./use-retry-countdown";

const NOT_SIGNED_IN = "That passkey did not sign you in; it may have been removed from your account. Sign in with your email and password.";

/**
 * "Sign in with a passkey": no email, no password. The browser offers the
 * passkeys it holds for this site (discoverable credentials, with user
 * verification), and the server finds the account from the one chosen.
 */
export function PasskeySignIn({ gate }: { gate?: SignInGate | undefined }) {
  const session = useSession();
  const signIn = useMutation({
    mutationFn: async () => {
      const options = await session.client.auth.passkey.options.mutate();
      const response = await askForPasskey(options);
      return session.signInWithPasskey({ response }, signInOptions(gate));
    },
    onSuccess: (pair) => {
      if (pair === null) gate?.onRefused?.();
      else gate?.onSignedIn?.();
    },
  });
  const retryIn = useRetryCountdown(signIn.error);
  const message =
    retryIn !== null
      ? retryMessage(retryIn)
      : errorCode(signIn.error) === "UNAUTHORIZED"
        ? NOT_SIGNED_IN
        : passkeyErrors(signIn.error).message;

  return (
    <section className="card passkey-sign-in" aria-labelledby="passkey-sign-in-title">
      <h2 id="passkey-sign-in-title">Or use a passkey</h2>
      <FormAlert message={message} />
      <button type="button" className="secondary" disabled={signIn.isPending || Boolean(retryIn)} onClick={() => signIn.mutate()}>
        {signIn.isPending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
    </section>
  );
}
