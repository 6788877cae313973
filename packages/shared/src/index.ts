export { transformer } from "./transformer";
export {
  PASSWORD_MAX_BYTES,
  PASSWORD_MIN_LENGTH,
  emailSchema,
  fullNameSchema,
  passwordSchema,
  text,
  uuidSchema,
} from "./fields";
