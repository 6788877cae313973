import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";

import { isApiError } from "@voiceassist/client";

import { formErrors } from "./form-errors";

/** The browser's passkey prompt for a sign-in; resolves with the answer to send back to the server. */
export const askForPasskey = (optionsJSON: PublicKeyCredentialRequestOptionsJSON) => startAuthentication({ optionsJSON });

/** The browser's prompt to make a new passkey. */
export const createPasskey = (optionsJSON: PublicKeyCredentialCreationOptionsJSON) => startRegistration({ optionsJSON });

/**
 * What a form shows when a passkey step failed: the server's answer as any
 * call's, or, when the browser's ceremony failed, what the person can do.
 */
export function passkeyErrors(error: unknown): ReturnType<typeof formErrors> {
  if (!error || isApiError(error)) return formErrors(error);
  return { message: ceremonyMessage(error), fields: {} };
}

function ceremonyMessage(error: unknown): string {
  if (!browserSupportsWebAuthn()) return "This browser cannot use passkeys. Use another sign-in method or another browser.";
  const { name, code } = error as { name?: string; code?: string };
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "This passkey is already registered to your account.";
  // Cancelled, timed out, or no passkey for this site on the device: the browser does not say which.
  if (name === "NotAllowedError" || name === "AbortError" || code === "ERROR_CEREMONY_ABORTED") {
    return "The passkey request was cancelled or timed out, or this device has no passkey for this site. Try again when you are ready.";
  }
  return "The browser could not use a passkey. Try again, or use another method.";
}
