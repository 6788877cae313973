/** Budgets as the API contract fixes them; each is keyed per client IP unless its name says otherwise. */
export const LIMITS = {
  register: { tokens: 5, windowSeconds: 3600 },
  login: { tokens: 10, windowSeconds: 60 },
  refresh: { tokens: 20, windowSeconds: 60 },
  ready: { tokens: 60, windowSeconds: 60 },
  /** Per user: a stolen access token gets 5 guesses at the current password per 15 minutes. */
  changePasswordUser: { tokens: 5, windowSeconds: 900 },
  changePasswordIp: { tokens: 20, windowSeconds: 900 },
  // The account lifecycle by mail (contract version 2).
  passwordResetIp: { tokens: 5, windowSeconds: 3600 },
  /** Per submitted email (hashed), whatever the IP: no one can flood a mailbox with reset links. */
  passwordResetEmail: { tokens: 3, windowSeconds: 3600 },
  resetPasswordIp: { tokens: 10, windowSeconds: 3600 },
  resendVerificationUser: { tokens: 3, windowSeconds: 3600 },
  /** users.requestEmailChange and users.resendEmailChange share it. */
  emailChangeUser: { tokens: 3, windowSeconds: 3600 },
  acceptInviteIp: { tokens: 10, windowSeconds: 3600 },
  /** Links opened from mail (verifyEmail, confirmEmailChange): tokens cannot be guessed, this only bounds the work. */
  mailLinkIp: { tokens: 60, windowSeconds: 3600 },
  /** Per admin: invitations go around the registration limit, so they have their own. */
  inviteUser: { tokens: 100, windowSeconds: 3600 },
  adminPasswordResetUser: { tokens: 30, windowSeconds: 3600 },
  // Second factors (contract version 2).
  /** The second sign-in step (auth.mfa.verify), per client IP. */
  mfaVerify: { tokens: 10, windowSeconds: 60 },
  /** The second sign-in step per account, whatever the IP: with 5 tries per challenge, a few challenges' worth. */
  mfaVerifyAccount: { tokens: 15, windowSeconds: 900 },
  /** Passwordless sign-in (auth.passkey.login). */
  passkeyLogin: { tokens: 10, windowSeconds: 60 },
  /** Anonymous WebAuthn options (each stores a challenge): auth.passkey.options and auth.mfa.webauthnOptions. */
  webauthnOptions: { tokens: 30, windowSeconds: 60 },
  /** Per user: checks of a password or code that guard second-factor changes (a stolen access token's guesses). */
  mfaProofUser: { tokens: 10, windowSeconds: 900 },
} as const;

export type LimitName = keyof typeof LIMITS;

export interface LimitDecision {
  allowed: boolean;
  /** Whole seconds until a retry can succeed; 0 when allowed. */
  retryAfterSeconds: number;
  /** When the current fixed window ends (ms since epoch): names the window a refusal belongs to. */
  windowEndsAtMs?: number;
}

export interface RateLimiter {
  /** Spends one unit of `name`'s budget for `key` (a client IP). */
  limit(name: LimitName, key: string): Promise<LimitDecision>;
}

export function decision(allowed: boolean, resetAtMs: number, nowMs = Date.now()): LimitDecision {
  return {
    allowed,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000)),
    windowEndsAtMs: resetAtMs,
  };
}
