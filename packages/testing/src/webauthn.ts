import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/** One credential the software authenticator holds (what a platform authenticator keeps inside). */
export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface CeremonyOptions {
  /** The page origin the browser would put in clientDataJSON. */
  origin: string;
  /** Signs for this RP ID instead of the one the options name (to test a wrong one). */
  rpId?: string;
  /** User verification performed (the UV flag); true by default. */
  userVerified?: boolean;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;
const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
/**
 * Bytes as the running realm's Uint8Array: the CBOR encoder tells byte strings by
 * `instanceof Uint8Array`, which a Node Buffer fails under jsdom (the web tests).
 */
const plainBytes = (bytes: Buffer) => new Uint8Array(bytes);

function counterBytes(counter: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(counter);
  return buffer;
}

/** The credential's public key as COSE (EC2, ES256, P-256), the form authenticator data carries. */
function cosePublicKey(privateKey: KeyObject): Uint8Array {
  const jwk = privateKey.export({ format: "jwk" });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, plainBytes(Buffer.from(jwk.x ?? "", "base64url"))],
      [-3, plainBytes(Buffer.from(jwk.y ?? "", "base64url"))],
    ]),
  );
}

const clientData = (type: "webauthn.create" | "webauthn.get", challenge: string, origin: string) =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

/**
 * A WebAuthn authenticator in software: P-256 keys from node:crypto, CBOR
 * from the encoder @simplewebauthn/server itself uses, and "none"
 * attestation. It produces the same JSON a browser's
 * navigator.credentials.create()/get() yields through @simplewebauthn/browser,
 * so server tests run real ceremonies: real signatures, real counters.
 */
export function createSoftAuthenticator() {
  const credentials: SoftCredential[] = [];

  function register(options: PublicKeyCredentialCreationOptionsJSON, ceremony: CeremonyOptions): RegistrationResponseJSON {
    const rpId = ceremony.rpId ?? options.rp.id ?? new URL(ceremony.origin).hostname;
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const credential: SoftCredential = { id: randomBytes(16), privateKey, rpId, userHandle: options.user.id, counter: 0 };
    credentials.push(credential);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | FLAG_AT | (ceremony.userVerified === false ? 0 : FLAG_UV)]),
      counterBytes(credential.counter),
      Buffer.alloc(16), // AAGUID: all zero, as "none" attestation allows
      idLength,
      credential.id,
      Buffer.from(cosePublicKey(privateKey)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", plainBytes(authData)],
      ]) as never,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData("webauthn.create", options.challenge, ceremony.origin)),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
    };
  }

  /**
   * Signs an assertion with the first credential the options allow (any, for a
   * discoverable sign-in, which then also reports the user handle). The
   * counter moves forward by one, as a real authenticator's does.
   */
  function authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    ceremony: CeremonyOptions & { credential?: SoftCredential },
  ): AuthenticationResponseJSON {
    const allowed = options.allowCredentials?.map((c) => c.id);
    const credential =
      ceremony.credential ??
      credentials.find((c) => (allowed?.length ? allowed.includes(b64url(c.id)) : true) && c.rpId === (options.rpId ?? c.rpId));
    if (!credential) throw new Error("the authenticator holds no matching credential");
    credential.counter += 1;
    const rpId = ceremony.rpId ?? credential.rpId;
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | (ceremony.userVerified === false ? 0 : FLAG_UV)]),
      counterBytes(credential.counter),
    ]);
    const clientDataJSON = clientData("webauthn.get", options.challenge, ceremony.origin);
    const signature = createSign("sha256")
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(allowed?.length ? {} : { userHandle: credential.userHandle }),
      },
    };
  }

  /** A copy of a credential, key and counter included: what a cloned authenticator would hold. */
  const clone = (credential: SoftCredential): SoftCredential => ({ ...credential });

  return { credentials, register, authenticate, clone };
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>;
