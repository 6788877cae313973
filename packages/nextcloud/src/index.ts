export { createNextcloudClient } from "./client";
export type { CreateUserInput, NextcloudClient, NextcloudClientOptions } from "./client";
export { NEXTCLOUD_ERROR_KINDS, NextcloudError, isNextcloudError } from "./errors";
export type { NextcloudErrorInit, NextcloudErrorKind } from "./errors";
export type { HealthState, HealthStatus } from "./health";
