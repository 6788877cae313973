export { createNextcloudClient } from "./client";
export type { CreateUserInput, EditableUserField, NextcloudClient, NextcloudClientOptions, NextcloudUser } from "./client";
export { NEXTCLOUD_DISPLAY_NAME_MAX, toNextcloudDisplayName } from "./display-name";
export { NEXTCLOUD_ERROR_KINDS, NextcloudError, isNextcloudError } from "./errors";
export type { NextcloudErrorInit, NextcloudErrorKind } from "./errors";
export type { HealthState, HealthStatus } from "./health";
