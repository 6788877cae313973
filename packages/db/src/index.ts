export * from "./schema";
export { createDatabase, pgliteTemplate } from "./client";
export type { Database, DatabaseHandle, DatabaseOptions, Schema } from "./client";
export { migrateDatabase, migrationsFolder } from "./migrate";
export { causeChain, isDatabaseUnavailable, isUniqueViolation, safeErrorMessage } from "./errors";
