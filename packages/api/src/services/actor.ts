/**
 * Every service entry point has one shape: `(deps, actor, input, origin)`.
 * - `deps`: the long-lived dependencies it uses (a `Pick` of ApiDeps);
 * - `actor`: who is acting, for signed-in calls (anonymous ones, such as
 *   register, login and refresh, have none and skip it);
 * - `input`: one object, the procedure's validated input;
 * - `origin`: where the call came from, for audit (reads that write no event skip it).
 */
export interface Actor {
  userId: string;
  /** The session the call was authenticated with. */
  sessionId: string;
}
