// Output schemas of the procedures: tRPC checks every output against them, and the OpenAPI document is built from them.
export { pageOf, successSchema, timestamp } from "./common";
export {
  adminUserDetailSchema,
  adminUserSchema,
  pendingEmailSchema,
  provisioningSchema,
  publicUserSchema,
  retryAllResultSchema,
  userPageSchema,
} from "./user";
export { registeredSchema, tokenPairSchema } from "./auth";
export { checkResultSchema, livenessSchema, readinessSchema } from "./health";
export { auditEventSchema, auditExportSchema } from "./audit";
export { revokedCountSchema, sessionSchema } from "./session";
export {
  backupCodesSchema,
  creationOptionsSchema,
  mfaChallengeSchema,
  mfaStatusSchema,
  passkeySchema,
  requestOptionsSchema,
  totpSetupSchema,
} from "./mfa";
export { oidcClientSchema, oidcClientWithSecretSchema, oidcInteractionSchema, oidcRedirectSchema } from "./oidc";
