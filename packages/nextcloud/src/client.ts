import { NextcloudError, createRedactor } from "./errors";
import type { NextcloudErrorKind } from "./errors";
import { interpretHealth } from "./health";
import type { HealthStatus } from "./health";
import { interpretOcsResponse } from "./interpret";
import type { InterpretContext } from "./interpret";
import { asRecord } from "./ocs";
import { CAPABILITIES_PATH, USERS_PATH, parseBaseUrl, requireUserId, userPath } from "./paths";
import { createTransport, withRetries } from "./transport";
import type { FetchLike, SendRequest } from "./transport";

export interface NextcloudClientOptions {
  baseUrl: string;
  adminUser: string;
  adminPassword: string;
  /** Deadline per HTTP attempt (headers and body). */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls on network errors, timeouts and 5xx/996. */
  retries?: number;
  /** First backoff step; doubles per retry. */
  retryDelayMs?: number;
  fetch?: FetchLike;
}

export interface CreateUserInput {
  userId: string;
  /** May be omitted when `email` is given: Nextcloud then mails a password link. */
  password?: string;
  email?: string;
  displayName?: string;
}

/** What provisioning compares of an account (from GET /cloud/users/{id}). */
export interface NextcloudUser {
  id: string;
  email: string | null;
  displayName: string;
  enabled: boolean;
}

/** The fields `PUT /cloud/users/{id}` edits with `key`/`value` that provisioning keeps in sync. */
export type EditableUserField = "email" | "displayname";

export interface NextcloudClient {
  healthCheck(): Promise<HealthStatus>;
  /** An authenticated call (capabilities): throws `unauthorized` when the admin credentials are refused. */
  checkCredentials(): Promise<void>;
  /** The account, or null when Nextcloud has no such user. */
  getUser(userId: string): Promise<NextcloudUser | null>;
  editUser(userId: string, key: EditableUserField, value: string): Promise<void>;
  createUser(input: CreateUserInput): Promise<{ userId: string }>;
  userExists(userId: string): Promise<boolean>;
  disableUser(userId: string): Promise<void>;
  enableUser(userId: string): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  /**
   * Idempotent provisioning. `created` is false when the user already existed, which includes
   * a user created by an earlier attempt of this very call whose answer was lost (996, timeout).
   */
  ensureUser(input: CreateUserInput): Promise<{ userId: string; created: boolean }>;
}

export function createNextcloudClient(options: NextcloudClientOptions): NextcloudClient {
  const { adminUser, adminPassword, timeoutMs = 5000, retries = 2, retryDelayMs = 200 } = options;
  const baseUrl = parseBaseUrl(options.baseUrl);
  const credentials = `${adminUser}:${adminPassword}`;
  const adminRedact = createRedactor([adminPassword, credentials]);
  const send = createTransport({
    baseUrl,
    timeoutMs,
    authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const policy = { retries, retryDelayMs };

  type Call = Omit<SendRequest, "redact" | "ocs"> & Partial<Pick<InterpretContext, "kindOverrides" | "fallbackMessages">>;
  async function ocsCall(call: Call, idempotent: boolean, extraSecret?: string): Promise<unknown> {
    const redact = extraSecret ? createRedactor([adminPassword, credentials, extraSecret]) : adminRedact;
    const once = async () => {
      const res = await send({ method: call.method, path: call.path, form: call.form, ocs: true, redact });
      return interpretOcsResponse(res, { ...call, operation: `${call.method} ${call.path}`, redact });
    };
    // POST create is never replayed here: a lost answer may hide a created user (see ensureUser).
    return idempotent ? withRetries(policy, once) : once();
  }

  // enable/disable answer 101 with an empty message for a missing user (NC 29 setEnabled).
  const setEnabledCodes = {
    kindOverrides: { 101: "not_found" as NextcloudErrorKind },
    fallbackMessages: { 101: "User does not exist", 998: "User does not exist" },
  };

  const client: NextcloudClient = {
    async healthCheck() {
      return withRetries(policy, async () => {
        const res = await send({ method: "GET", path: "/status.php", ocs: false, redact: adminRedact });
        return interpretHealth(res);
      });
    },

    async checkCredentials() {
      await ocsCall({ method: "GET", path: CAPABILITIES_PATH }, true);
    },

    async getUser(userId) {
      try {
        return toNextcloudUser(await ocsCall({ method: "GET", path: userPath(userId) }, true), userId);
      } catch (error) {
        if (error instanceof NextcloudError && error.statuscode === 404) return null;
        throw error;
      }
    },

    async editUser(userId, key, value) {
      await ocsCall({ method: "PUT", path: userPath(notAdmin(userId)), form: { key, value } }, true);
    },

    async createUser(input) {
      const form: Record<string, string> = { userid: requireUserId(input.userId) };
      if (input.password !== undefined) form.password = input.password;
      if (input.email !== undefined) form.email = input.email;
      if (input.displayName !== undefined) form.displayName = input.displayName;
      const data = await ocsCall({ method: "POST", path: USERS_PATH, form }, false, input.password);
      const id = asRecord(data)?.id;
      return { userId: typeof id === "string" ? id : input.userId };
    },

    async userExists(userId) {
      try {
        await ocsCall({ method: "GET", path: userPath(userId) }, true);
        return true;
      } catch (error) {
        // Only the explicit "User does not exist" (404); 998 can also mean a wrong route.
        if (error instanceof NextcloudError && error.statuscode === 404) return false;
        throw error;
      }
    },

    async disableUser(userId) {
      await ocsCall({ method: "PUT", path: `${userPath(notAdmin(userId))}/disable`, ...setEnabledCodes }, true);
    },

    async enableUser(userId) {
      await ocsCall({ method: "PUT", path: `${userPath(notAdmin(userId))}/enable`, ...setEnabledCodes }, true);
    },

    async deleteUser(userId) {
      const fallbackMessages = { 998: "User does not exist" };
      await ocsCall({ method: "DELETE", path: userPath(notAdmin(userId)), fallbackMessages }, false);
    },

    async ensureUser(input) {
      return withRetries(policy, async () => {
        try {
          const { userId } = await client.createUser(input);
          return { userId, created: true };
        } catch (error) {
          if (error instanceof NextcloudError && error.kind === "user_exists") {
            return { userId: input.userId, created: false };
          }
          throw error;
        }
      });
    },
  };

  function toNextcloudUser(data: unknown, userId: string): NextcloudUser {
    const record = asRecord(data);
    const id = record?.id;
    const email = record?.email;
    const displayName = record?.displayname ?? record?.["display-name"];
    return {
      id: typeof id === "string" ? id : userId,
      email: typeof email === "string" && email !== "" ? email : null,
      displayName: typeof displayName === "string" ? displayName : "",
      enabled: record?.enabled !== false,
    };
  }

  function notAdmin(userId: string): string {
    // Nextcloud refuses these on the caller's own account with a bare 101; say it clearly instead.
    if (userId.toLowerCase() === adminUser.toLowerCase()) {
      throw new NextcloudError({ kind: "invalid_input", message: "Refusing to change the admin account itself" });
    }
    return userId;
  }

  return client;
}
