import { NextcloudError } from "./errors";

export const USERS_PATH = "/ocs/v1.php/cloud/users";
export const CAPABILITIES_PATH = "/ocs/v1.php/cloud/capabilities";

export function requireUserId(userId: string): string {
  if (typeof userId !== "string" || userId.trim() === "") {
    throw new NextcloudError({ kind: "invalid_input", message: "userId must be a non-empty string" });
  }
  return userId;
}

// An empty id would silently hit another route (GET /cloud/users lists everyone).
export function userPath(userId: string): string {
  return `${USERS_PATH}/${encodeURIComponent(requireUserId(userId))}`;
}

export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError("Nextcloud baseUrl is not a valid absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("Nextcloud baseUrl must use http or https");
  }
  // Credentials in the URL would leak into every log line that prints it.
  if (url.username || url.password) throw new TypeError("Nextcloud baseUrl must not contain credentials");
  url.search = "";
  url.hash = "";
  return url;
}
