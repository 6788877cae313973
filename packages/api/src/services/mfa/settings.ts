import type { SecretBox } from "./secret-box";

/** The relying party passkeys are bound to. */
export interface WebauthnSettings {
  /** The registrable domain (WEBAUTHN_RP_ID), e.g. "localhost" or "voiceassist.example". */
  rpId: string;
  /** Shown by the authenticator when a passkey is made. */
  rpName: string;
  /** Page origins allowed to run a ceremony (WEBAUTHN_ORIGINS). */
  origins: string[];
}

/** What second factors need from the process. */
export interface MfaSettings {
  secretBox: SecretBox;
  /** MFA_REQUIRED_FOR_ADMINS: admin procedures need a session that used a second factor. */
  requiredForAdmins: boolean;
  webauthn: WebauthnSettings;
  /** Milliseconds since the epoch for TOTP steps; tests move it instead of sleeping. */
  now: () => number;
}

/** Sign-in challenges (password done, second factor pending) live this long. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;
/** Wrong second-factor attempts one sign-in challenge survives. */
export const MFA_CHALLENGE_MAX_FAILURES = 5;
/** WebAuthn ceremony challenges live this long. */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 300;
/** How long a started TOTP enrolment waits for its confirming code. */
export const TOTP_ENROLMENT_TTL_SECONDS = 900;
