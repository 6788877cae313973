import { describe, expect, it } from "vitest";
import { NEXTCLOUD_ERROR_KINDS, NextcloudError, createRedactor } from "./errors";
import { interpretOcsResponse, kindForStatuscode } from "./interpret";
import type { RawResponse } from "./interpret";
import { decodeXmlEntities, parseBody } from "./ocs";
import { fixtureNames, loadFixture } from "../test/support/fixtures";

const ctx = { operation: "GET /test", redact: createRedactor([]) };

function asResponse(file: string): RawResponse {
  const fixture = loadFixture(file);
  return { status: fixture.status, headers: new Headers(fixture.headers), body: fixture.body };
}

/** Outcome of interpreting an answer, comparable across formats. */
function outcome(res: RawResponse) {
  try {
    interpretOcsResponse(res, ctx);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof NextcloudError)) throw error;
    return { kind: error.kind, statuscode: error.statuscode, message: error.message, httpStatus: error.httpStatus };
  }
}

describe("parseBody on real captures", () => {
  it("reads the XML envelope of a 997 that was asked for as JSON", () => {
    const parsed = parseBody(loadFixture("v1-get-user-wrong-admin-password.json.http").body);
    expect(parsed).toMatchObject({ type: "ocs", format: "xml", meta: { status: "failure", statuscode: 997, message: "Unauthorised" } });
  });

  it("decodes XML entities so XML and JSON messages agree", () => {
    const xml = parseBody(loadFixture("v1-create-user-invalid-userid.xml.http").body);
    const json = parseBody(loadFixture("v1-create-user-invalid-userid.json.http").body);
    expect(xml.type === "ocs" && xml.meta.message).toContain('"a-z"');
    expect(xml.type === "ocs" && xml.meta).toEqual(json.type === "ocs" && json.meta);
  });

  it("keeps an empty <message></message> as an empty string", () => {
    const parsed = parseBody(loadFixture("v1-delete-user-missing.xml.http").body);
    expect(parsed).toMatchObject({ type: "ocs", meta: { statuscode: 998, message: "" } });
  });

  const pairs = fixtureNames()
    .filter((f) => f.endsWith(".xml.http"))
    .map((xml) => [xml, xml.replace(".xml.http", ".json.http")] as const);
  it.each(pairs)("%s is interpreted exactly like its JSON twin", (xml, json) => {
    expect(outcome(asResponse(xml))).toEqual(outcome(asResponse(json)));
  });
});

describe("interpretOcsResponse never crashes", () => {
  const garbage = [
    "",
    " ",
    "null",
    "true",
    "42",
    "[]",
    "{}",
    '"ocs"',
    "{",
    "[1,2",
    '{"ocs":null}',
    '{"ocs":[]}',
    '{"ocs":{"meta":null}}',
    '{"ocs":{"meta":{"statuscode":"abc"}}}',
    '{"ocs":{"meta":{"statuscode":1e999}}}',
    '{"ocs":{"meta":{"statuscode":100.5}}}',
    "<ocs>",
    "<ocs><meta><statuscode>",
    "<ocs><meta/></ocs>",
    "<html><body>502 Bad Gateway</body></html>",
    "\u0000\u0001\u0002\ufffd",
    "&#x110000;",
    "<".repeat(10_000),
    `<?xml version="1.0"?><ocs><meta><statuscode>100</statuscode><message>&#99999999;</message></meta></ocs>`,
  ];
  it.each(garbage.map((g) => [JSON.stringify(g).slice(0, 60), g]))("%s", (_label, body) => {
    for (const status of [200, 401, 404, 500, 502]) {
      const result = outcome({ status, headers: new Headers(), body });
      if (!("ok" in result)) expect(NEXTCLOUD_ERROR_KINDS).toContain(result.kind);
    }
  });

  it("every truncation of every captured body yields a typed result", () => {
    let checked = 0;
    for (const file of fixtureNames()) {
      const res = asResponse(file);
      const step = Math.max(1, Math.floor(res.body.length / 40));
      for (let cut = 0; cut < res.body.length; cut += step) {
        outcome({ ...res, body: res.body.slice(0, cut) });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("maps non-OCS answers by HTTP status", () => {
    const html = (status: number) => ({ status, headers: new Headers({ "content-type": "text/html" }), body: "<html>x</html>" });
    expect(outcome(html(500))).toMatchObject({ kind: "server_error", httpStatus: 500 });
    expect(outcome(html(502))).toMatchObject({ kind: "server_error", httpStatus: 502 });
    expect(outcome(html(200))).toMatchObject({ kind: "bad_response", httpStatus: 200 });
    expect(outcome(html(401))).toMatchObject({ kind: "unauthorized" });
    const maintenance = { ...html(503), headers: new Headers({ "x-nextcloud-maintenance-mode": "1" }) };
    expect(outcome(maintenance)).toMatchObject({ kind: "maintenance" });
  });

  it("requires HTTP 2xx and an OCS success code together", () => {
    const body = '{"ocs":{"meta":{"status":"ok","statuscode":100,"message":"OK"},"data":[]}}';
    expect(outcome({ status: 200, headers: new Headers(), body })).toEqual({ ok: true });
    expect(outcome({ status: 500, headers: new Headers(), body })).toMatchObject({ kind: "server_error" });
  });
});

describe("statuscode mapping", () => {
  it.each([
    [102, "user_exists"],
    [101, "invalid_input"],
    [103, "invalid_input"],
    [104, "invalid_input"],
    [105, "invalid_input"],
    [106, "invalid_input"],
    [108, "invalid_input"],
    [110, "invalid_input"],
    [111, "invalid_input"],
    [107, "password_policy"],
    [403, "forbidden"],
    [404, "not_found"],
    [998, "not_found"],
    [997, "unauthorized"],
    [996, "server_error"],
    [500, "server_error"],
  ] as const)("%i → %s", (code, kind) => {
    expect(kindForStatuscode(code)).toBe(kind);
  });

  it("decodes numeric entities and ignores out-of-range ones", () => {
    expect(decodeXmlEntities("&#65;&#x42;&amp;lt;&#x110000;")).toBe("AB&lt;&#x110000;");
  });
});
