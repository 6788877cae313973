import { NextcloudError } from "./errors";
import { describeContentType, httpError, kindForHttp } from "./interpret";
import type { RawResponse } from "./interpret";
import { asRecord, parseBody } from "./ocs";

export type HealthState = "ok" | "maintenance" | "needs_upgrade" | "not_installed";

export interface HealthStatus {
  healthy: boolean;
  state: HealthState;
  /** `versionstring` of status.php, e.g. "29.0.1". */
  version?: string;
}

const operation = "GET /status.php";

/** Reads status.php: `{"installed":true,"maintenance":false,"needsDbUpgrade":false,...}`. */
export function interpretHealth(res: RawResponse): HealthStatus {
  if (res.status < 200 || res.status >= 300) {
    throw httpError(kindForHttp(res.status), `status.php answered HTTP ${res.status} (${describeContentType(res)})`, res, {
      operation,
    });
  }
  const parsed = parseBody(res.body);
  const status = parsed.type === "json" ? asRecord(parsed.value) : undefined;
  const installed = status?.installed;
  if (!status || typeof installed !== "boolean") {
    // Typical for a proxy login page or a web server that serves something else at this path.
    throw new NextcloudError({
      kind: "bad_response",
      message: `status.php did not return Nextcloud status JSON (${describeContentType(res)})`,
      httpStatus: res.status,
      operation,
    });
  }
  const versionString = status.versionstring ?? status.version;
  const version = typeof versionString === "string" && versionString ? versionString : undefined;
  const state: HealthState = !installed
    ? "not_installed"
    : status.maintenance === true
      ? "maintenance"
      : status.needsDbUpgrade === true
        ? "needs_upgrade"
        : "ok";
  return { healthy: state === "ok", state, ...(version ? { version } : {}) };
}
