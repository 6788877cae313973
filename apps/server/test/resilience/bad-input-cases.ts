/**
 * The table behind bad-input.test.ts: every procedure, who may call it, a
 * valid input to mutate, and the malformed inputs with the contract's answer.
 */

/** "freshUser": a new account per case, for procedures whose per-user limit the cases would use up. */
export type Who = "anon" | "user" | "freshUser" | "admin";

export interface Fixture {
  user: { id: string; email: string; refreshToken: string };
  admin: { id: string };
}

type Input = unknown | ((f: Fixture) => unknown);

export interface BadCase {
  name: string;
  /** The procedure input (wrapped as `{"json": input}`); `undefined` sends no input at all. */
  input?: Input;
  /** The whole superjson envelope as raw JSON text, for what JSON.stringify cannot express. */
  raw?: (f: Fixture) => string;
  status: number;
  code: string;
}

export interface ProcedureSpec {
  path: string;
  type: "query" | "mutation";
  who: Who;
  /** none: takes no input (anything sent is ignored); optional / required as in the contract. */
  input: "none" | "optional" | "required";
  valid?: (f: Fixture) => Record<string, unknown>;
  cases: BadCase[];
}

const bad = (name: string, input: Input): BadCase => ({ name, input, status: 400, code: "BAD_REQUEST" });

// Queries travel in the URL, which Node caps at 16 KB of headers: "huge" there means 8 000 characters.
const HUGE_BODY_STRING = "x".repeat(900_000);
const HUGE_URL_STRING = "x".repeat(8_000);
const NUL = "a\u0000b";
export const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";

/** Wrong shapes every procedure that takes an object must refuse. */
export function shapeCases(spec: ProcedureSpec): BadCase[] {
  if (spec.input === "none") return [];
  const valid = spec.valid!;
  const cases: BadCase[] = [
    bad("a string instead of an object", "not-an-object"),
    bad("a number instead of an object", 42),
    bad("an array instead of an object", (f: Fixture) => [valid(f)]),
    bad("null instead of an object", null),
    bad("an unknown extra key", (f: Fixture) => ({ ...valid(f), extraField: true })),
    bad("an isAdmin key smuggled in", (f: Fixture) => ({ ...valid(f), isAdmin: true, role: "admin" })),
    {
      name: "an own constructor.prototype key",
      raw: (f) => `{"json":${JSON.stringify(valid(f)).slice(0, -1)},"constructor":{"prototype":{"isAdmin":true}}}}`,
      status: 400,
      code: "BAD_REQUEST",
    },
  ];
  if (spec.input === "required") cases.push(bad("no input at all", undefined), bad("an empty object", {}));
  return cases;
}

export const PROCEDURES: ProcedureSpec[] = [
  { path: "health.live", type: "query", who: "anon", input: "none", cases: [] },
  { path: "health.ready", type: "query", who: "anon", input: "none", cases: [] },
  {
    path: "auth.register",
    type: "mutation",
    who: "anon",
    input: "required",
    valid: () => ({ email: `never-${Math.random().toString(36).slice(2)}@example.com`, password: "long-enough-pw" }),
    cases: [
      bad("email is a number", { email: 12345, password: "long-enough-pw" }),
      bad("email is not an address", { email: "not-an-email", password: "long-enough-pw" }),
      bad("email is 900 KB", { email: `${HUGE_BODY_STRING}@example.com`, password: "long-enough-pw" }),
      bad("email is missing", { password: "long-enough-pw" }),
      bad("password is too short", { email: "short-pw@example.com", password: "1234567" }),
      bad("password is 73 bytes", { email: "long-pw@example.com", password: "p".repeat(73) }),
      bad("password is 900 KB", { email: "huge-pw@example.com", password: HUGE_BODY_STRING }),
      bad("password is an object", { email: "obj-pw@example.com", password: { $gt: "" } }),
      bad("fullName is blank", { email: "blank@example.com", password: "long-enough-pw", fullName: "   " }),
      bad("fullName is 256 characters", { email: "n256@example.com", password: "long-enough-pw", fullName: "n".repeat(256) }),
      bad("fullName is 900 KB", { email: "nhuge@example.com", password: "long-enough-pw", fullName: HUGE_BODY_STRING }),
      bad("fullName is a number", { email: "nnum@example.com", password: "long-enough-pw", fullName: 7 }),
      // Postgres cannot store U+0000 in text: it must be refused as input, not blow up as a 500.
      bad("fullName contains a NUL character", { email: "nul-name@example.com", password: "long-enough-pw", fullName: NUL }),
    ],
  },
  {
    path: "auth.login",
    type: "mutation",
    who: "anon",
    input: "required",
    valid: (f) => ({ email: f.user.email, password: "wrong-password-1" }),
    cases: [
      bad("email is an array", { email: ["a@example.com"], password: "long-enough-pw" }),
      bad("email is 900 KB", { email: HUGE_BODY_STRING, password: "long-enough-pw" }),
      bad("password is a number", { email: "a@example.com", password: 12345678 }),
      bad("password is 900 KB", { email: "a@example.com", password: HUGE_BODY_STRING }),
      bad("password is missing", { email: "a@example.com" }),
      bad("email contains a NUL character", { email: "a\u0000@example.com", password: "long-enough-pw" }),
      {
        name: "well-formed but wrong credentials",
        input: { email: "nobody@example.com", password: "long-enough-pw" },
        status: 401,
        code: "UNAUTHORIZED",
      },
    ],
  },
  {
    path: "auth.refresh",
    type: "mutation",
    who: "anon",
    input: "required",
    valid: (f) => ({ refreshToken: f.user.refreshToken }),
    cases: [
      bad("refreshToken is empty", { refreshToken: "" }),
      bad("refreshToken is a number", { refreshToken: 1 }),
      bad("refreshToken is 4097 characters", { refreshToken: "a".repeat(4097) }),
      bad("refreshToken is 900 KB", { refreshToken: HUGE_BODY_STRING }),
      { name: "refreshToken is garbage of the right type", input: { refreshToken: "not.a.jwt" }, status: 401, code: "UNAUTHORIZED" },
      { name: "refreshToken has a NUL character", input: { refreshToken: NUL }, status: 401, code: "UNAUTHORIZED" },
    ],
  },
  {
    path: "auth.logout",
    type: "mutation",
    who: "user",
    input: "optional",
    // Every case below is invalid, so the shared user's session survives the suite.
    valid: () => ({ allSessions: false }),
    cases: [bad("allSessions is a string", { allSessions: "yes" }), bad("allSessions is a number", { allSessions: 1 })],
  },
  { path: "auth.me", type: "query", who: "user", input: "none", cases: [] },
  { path: "users.me", type: "query", who: "user", input: "none", cases: [] },
  {
    path: "users.updateMe",
    type: "mutation",
    who: "user",
    input: "optional",
    valid: () => ({ fullName: "Still Me" }),
    cases: [
      bad("fullName is blank", { fullName: "" }),
      bad("fullName is 256 characters", { fullName: "n".repeat(256) }),
      bad("fullName is 900 KB", { fullName: HUGE_BODY_STRING }),
      bad("fullName is a boolean", { fullName: true }),
      bad("email is not an address", { email: "nope" }),
      bad("email is 900 KB", { email: HUGE_BODY_STRING }),
      bad("id is smuggled in", (f: Fixture) => ({ id: f.admin.id, fullName: "Someone Else" })),
      bad("fullName contains a NUL character", { fullName: NUL }),
    ],
  },
  {
    path: "users.changePassword",
    type: "mutation",
    who: "freshUser",
    input: "required",
    // The right current password: if strictness ever broke, the extra-key cases would succeed and fail loudly.
    valid: () => ({ currentPassword: "correct-horse-battery", newPassword: "another-password-1" }),
    cases: [
      bad("newPassword is missing", { currentPassword: "correct-horse-battery" }),
      bad("currentPassword is empty", { currentPassword: "", newPassword: "another-password-1" }),
      bad("currentPassword is 1025 characters", { currentPassword: "c".repeat(1025), newPassword: "another-password-1" }),
      bad("currentPassword is 900 KB", { currentPassword: HUGE_BODY_STRING, newPassword: "another-password-1" }),
      bad("newPassword is too short", { currentPassword: "correct-horse-battery", newPassword: "short" }),
      bad("newPassword is 73 bytes", { currentPassword: "correct-horse-battery", newPassword: "n".repeat(73) }),
      bad("newPassword is a number", { currentPassword: "correct-horse-battery", newPassword: 123456789 }),
      // The contract: a wrong current password is BAD_REQUEST, never 401 (clients would think the token expired).
      bad("currentPassword is wrong", { currentPassword: "wrong-current-password", newPassword: "another-password-1" }),
    ],
  },
  {
    path: "users.list",
    type: "query",
    who: "admin",
    input: "optional",
    valid: () => ({ limit: 5 }),
    cases: [
      bad("limit is 0", { limit: 0 }),
      bad("limit is 101", { limit: 101 }),
      bad("limit is a fraction", { limit: 1.5 }),
      bad("limit is a numeric string", { limit: "10" }),
      bad("offset is negative", { offset: -1 }),
      bad("offset is a fraction", { offset: 0.5 }),
      bad("isActive is a string", { isActive: "true" }),
      bad("search is a number", { search: 5 }),
      bad("search is 8 000 characters", { search: HUGE_URL_STRING }),
      bad("search contains a NUL character", { search: NUL }),
      { name: "search with LIKE wildcards is plain text", input: { search: "%_\\" }, status: 200, code: "OK" },
    ],
  },
  {
    path: "users.byId",
    type: "query",
    who: "admin",
    input: "required",
    valid: (f) => ({ id: f.user.id }),
    cases: [
      bad("id is not a uuid", { id: "not-a-uuid" }),
      bad("id is almost a uuid", { id: "00000000-0000-4000-8000-00000000000g" }),
      bad("id is a number", { id: 1 }),
      bad("id is 8 000 characters", { id: HUGE_URL_STRING }),
      bad("id is a SQL fragment", { id: "' or 1=1 --" }),
      { name: "id is an unknown uuid", input: { id: UNKNOWN_UUID }, status: 404, code: "NOT_FOUND" },
    ],
  },
  {
    path: "users.update",
    type: "mutation",
    who: "admin",
    input: "required",
    valid: (f) => ({ id: f.user.id, fullName: "Renamed" }),
    cases: [
      bad("id is missing", { fullName: "x" }),
      bad("id is not a uuid", { id: "nope", fullName: "x" }),
      bad("isAdmin is a string", (f: Fixture) => ({ id: f.user.id, isAdmin: "yes" })),
      bad("isActive is a number", (f: Fixture) => ({ id: f.user.id, isActive: 0 })),
      bad("email is not an address", (f: Fixture) => ({ id: f.user.id, email: "nope" })),
      bad("fullName is 900 KB", (f: Fixture) => ({ id: f.user.id, fullName: HUGE_BODY_STRING })),
      bad("a password is smuggled in", (f: Fixture) => ({ id: f.user.id, password: "new-password-1" })),
      bad("fullName contains a NUL character", (f: Fixture) => ({ id: f.user.id, fullName: NUL })),
      { name: "id is an unknown uuid", input: { id: UNKNOWN_UUID, fullName: "x" }, status: 404, code: "NOT_FOUND" },
    ],
  },
  {
    path: "users.delete",
    type: "mutation",
    who: "admin",
    input: "required",
    valid: (f) => ({ id: f.user.id }),
    cases: [
      bad("id is not a uuid", { id: "nope" }),
      bad("id is an array of uuids", (f: Fixture) => ({ id: [f.user.id] })),
      bad("id is 900 KB", { id: HUGE_BODY_STRING }),
      { name: "id is an unknown uuid", input: { id: UNKNOWN_UUID }, status: 404, code: "NOT_FOUND" },
    ],
  },
  {
    path: "audit.list",
    type: "query",
    who: "admin",
    input: "optional",
    valid: () => ({ limit: 5 }),
    cases: [
      bad("userId is not a uuid", { userId: "nope" }),
      bad("action is empty", { action: "" }),
      bad("action is 65 characters", { action: "a".repeat(65) }),
      bad("limit is 101", { limit: 101 }),
      bad("limit is a numeric string", { limit: "5" }),
      bad("offset is negative", { offset: -1 }),
      bad("action contains a NUL character", { action: NUL }),
    ],
  },
];

export const resolveInput = (input: Input, f: Fixture) => (typeof input === "function" ? (input as (f: Fixture) => unknown)(f) : input);
