export * from "./users";
export * from "./sessions";
export * from "./audit-events";
export * from "./nextcloud-provisioning";
export * from "./login-failures";
export * from "./mfa";
