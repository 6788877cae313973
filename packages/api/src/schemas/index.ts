// Output schemas of the procedures: tRPC checks every output against them, and the OpenAPI document is built from them.
export { pageOf, successSchema, timestamp } from "./common";
export { adminUserSchema, provisioningSchema, publicUserSchema, retryAllResultSchema } from "./user";
export { registeredSchema, tokenPairSchema } from "./auth";
export { checkResultSchema, livenessSchema, readinessSchema } from "./health";
export { auditEventSchema } from "./audit";
export {
  backupCodesSchema,
  creationOptionsSchema,
  mfaChallengeSchema,
  mfaStatusSchema,
  passkeySchema,
  requestOptionsSchema,
  totpSetupSchema,
} from "./mfa";
