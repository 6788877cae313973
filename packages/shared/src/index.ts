export { transformer } from "./transformer";
export { GENERIC_SERVER_ERROR_MESSAGE, MAX_BATCH_ITEMS } from "./transport";
export {
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_LENGTH,
  emailSchema,
  existingPasswordSchema,
  fullNameSchema,
  passwordSchema,
  passwordShapeProblem,
  text,
  uuidSchema,
  visibleLength,
} from "./fields";
export type { PasswordShapeProblem } from "./fields";
export { AUDIT_ACTIONS } from "./audit-actions";
export type { AuditAction } from "./audit-actions";
