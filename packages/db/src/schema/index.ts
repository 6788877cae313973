export * from "./users";
export * from "./sessions";
export * from "./audit-events";
export * from "./nextcloud-provisioning";
export * from "./login-failures";
export * from "./account-tokens";
export * from "./mail-outbox";
export * from "./mfa";
