export * from "./schema";
export { createDatabase } from "./client";
export type { Database, DatabaseHandle, DatabaseOptions, Schema } from "./client";
export { migrateDatabase, migrationsFolder } from "./migrate";
export { causeChain, isDatabaseUnavailable, isUniqueViolation, safeErrorMessage } from "./errors";
