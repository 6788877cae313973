import { parseBody } from "../../src/ocs";
import type { OcsMeta } from "../../src/ocs";

export const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
export const USER_PASSWORD = "Str0ng-Pass-for-Tests!";

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

export interface CallInit extends RequestInit {
  /** Authorization header; null sends none; default the admin's basic auth. */
  auth?: string | null;
  /** Send OCS-APIRequest: true (default). */
  ocs?: boolean;
}

/** One raw HTTP call to the fake, as a client would make it; meta is the parsed OCS meta, if any. */
export async function call(baseUrl: string, path: string, init: CallInit = {}) {
  const headers = new Headers(init.headers);
  if (init.ocs !== false) headers.set("OCS-APIRequest", "true");
  if (init.auth !== null) headers.set("Authorization", init.auth ?? basic("admin", ADMIN_PASSWORD));
  const res = await fetch(`${baseUrl}${path}`, { ...init, headers, redirect: "manual" });
  const body = await res.text();
  const parsed = parseBody(body);
  const meta: OcsMeta | undefined = parsed.type === "ocs" ? parsed.meta : undefined;
  return { res, body, meta, format: parsed.type === "ocs" ? parsed.format : undefined };
}

export const form = (fields: Record<string, string>, method = "POST"): RequestInit => ({
  method,
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

export const json = (fields: Record<string, string>, method = "PUT"): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(fields),
});
