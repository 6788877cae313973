import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

/** RFC 6238 as the contract fixes it: SHA-1, 6 digits, 30 s steps, ±1 step of drift. */
const TOTP_PARAMS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
const DRIFT_STEPS = 1;
export const TOTP_ISSUER = "VoiceAssist";

/** A new 160-bit secret, base32 (what authenticator apps take by hand). */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The otpauth:// URI and its QR code (SVG) for an authenticator app. */
export async function totpProvisioning(secret: string, accountName: string) {
  const otpauthUri = new TOTP({ ...TOTP_PARAMS, issuer: TOTP_ISSUER, label: accountName, secret: Secret.fromBase32(secret) }).toString();
  const qrCodeSvg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { otpauthUri, qrCodeSvg };
}

/** A six-digit code, spaces allowed (apps show "123 456"). */
export const looksLikeTotpCode = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ""));

/**
 * The 30 s step whose code `code` is, within ±1 step of `nowMs`, or null.
 * The caller must still accept a step only once (see `consumeTotpStep`).
 */
export function matchTotpStep(secret: string, code: string, nowMs: number): number | null {
  const token = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = TOTP.validate({ ...TOTP_PARAMS, token, secret: Secret.fromBase32(secret), timestamp: nowMs, window: DRIFT_STEPS });
  if (delta === null) return null;
  return TOTP.counter({ period: TOTP_PARAMS.period, timestamp: nowMs }) + delta;
}

/** The code of `secret` at `atMs` (tests and the benchmark compute real codes with it). */
export const totpCodeAt = (secret: string, atMs: number) =>
  TOTP.generate({ ...TOTP_PARAMS, secret: Secret.fromBase32(secret), timestamp: atMs });
