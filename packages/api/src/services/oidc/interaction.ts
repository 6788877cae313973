import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { and, eq } from "drizzle-orm";
import type { InteractionResults } from "oidc-provider";

import { oidcProviderRecords, sessions, type Database } from "@voiceassist/db";

import { DomainError, notAuthenticated } from "../../errors";
import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import { authenticateBearer } from "../bearer";
import type { TokenService } from "../tokens";
import { loadSignInUser } from "./account";
import { ACR_VALUES, OIDC_SCOPES } from "./provider";
import type { OidcRuntime } from "./runtime";

/** Our own records in the provider's table: a completed sign-in waiting for its browser. */
const TICKET_MODEL = "VoiceAssistLoginTicket";
/** A ticket is followed at once by the browser that got it; it is good for one use within this. */
const TICKET_TTL_SECONDS = 120;

const interactionGone = () =>
  new DomainError("not_found", "This sign-in request has expired or was already used: start again from the application");
export const ssoUnavailable = () => new DomainError("unavailable", "Single sign-on is not configured on this server");
const freshSignInRequired = () =>
  new DomainError("forbidden", "The application asks for a fresh sign-in: sign in again, then continue", {
    reason: "FRESH_SIGN_IN_REQUIRED",
  });

type Deps = { db: Database; oidc: OidcRuntime | null };

interface SessionFacts {
  createdAt: Date;
  amr: string[];
  mfa: boolean;
}

async function sessionFacts(db: Database, sessionId: string): Promise<SessionFacts | null> {
  const [row] = await db
    .select({ createdAt: sessions.createdAt, amr: sessions.amr, mfa: sessions.mfa })
    .from(sessions)
    .where(eq(sessions.id, sessionId))
    .limit(1);
  return row ?? null;
}

/** RFC 8176 methods of a session; sessions made before they were recorded say only what they know. */
export function amrOf(session: { amr: string[]; mfa: boolean }): string[] {
  if (session.amr.length > 0) return session.amr;
  return session.mfa ? ["pwd", "mfa"] : ["pwd"];
}

const acrOf = (amr: string[]) => (amr.some((method) => method !== "pwd") ? ACR_VALUES[1] : ACR_VALUES[0]);

async function loadInteraction(oidc: OidcRuntime, uid: string) {
  const provider = await oidc.provider();
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) throw interactionGone();
  const clientId = String(interaction.params.client_id ?? "");
  const client = await provider.Client.find(clientId);
  if (!client) throw interactionGone();
  return { provider, interaction, client };
}

/**
 * Whether this session is too old for what the application asked:
 * `prompt=login` wants a sign-in made after the request started, `max_age`
 * one no older than that many seconds.
 */
function needsFreshSignIn(params: Record<string, unknown>, startedAt: number, signedInAt: Date): boolean {
  const signedIn = Math.floor(signedInAt.getTime() / 1000);
  const prompts = String(params.prompt ?? "").split(" ");
  // Whole seconds on both sides: a sign-in in the request's own second cannot be told apart from one just before it.
  if (prompts.includes("login") && signedIn <= startedAt) return true;
  const maxAge = params.max_age === undefined ? undefined : Number(params.max_age);
  return maxAge !== undefined && Number.isFinite(maxAge) && Math.floor(Date.now() / 1000) - signedIn > maxAge;
}

export interface InteractionView {
  uid: string;
  client: { clientId: string; name: string };
  /** Scopes the application asked for. */
  scopes: string[];
  /** The application asked for a fresh sign-in (`prompt=login` or `max_age`). */
  loginRequested: boolean;
  maxAge: number | null;
  /** Whether the caller is signed in (a valid access token came with the call). */
  signedIn: boolean;
  /** Signed in, but the session is too old for this request: sign in again before completing. */
  freshSignInRequired: boolean;
  expiresAt: Date;
}

/**
 * `oidc.interaction.get`: what the web app's sign-in page shows. Works
 * signed out too (the page names the application before asking to sign in);
 * with a token it says whether this session may complete the request as is.
 */
export async function getInteraction(
  deps: Deps & { tokens: TokenService },
  authorization: string | null,
  input: { uid: string },
): Promise<InteractionView> {
  if (!deps.oidc) throw ssoUnavailable();
  const { interaction, client } = await loadInteraction(deps.oidc, input.uid);
  const params = interaction.params as Record<string, unknown>;
  const caller = await optionalSession(deps, authorization);
  const facts = caller ? await sessionFacts(deps.db, caller.sessionId) : null;
  const maxAge = params.max_age === undefined ? null : Number(params.max_age);
  return {
    uid: interaction.uid,
    client: { clientId: client.clientId, name: client.clientName ?? client.clientId },
    scopes: String(params.scope ?? "")
      .split(" ")
      .filter((scope) => (OIDC_SCOPES as readonly string[]).includes(scope)),
    loginRequested:
      String(params.prompt ?? "")
        .split(" ")
        .includes("login") || maxAge !== null,
    maxAge,
    signedIn: facts !== null,
    freshSignInRequired: facts ? needsFreshSignIn(params, interaction.iat, facts.createdAt) : false,
    expiresAt: new Date(interaction.exp * 1000),
  };
}

async function optionalSession(deps: { db: Database; tokens: TokenService }, authorization: string | null) {
  const caller = await authenticateBearer(deps, authorization);
  return caller ? { sessionId: caller.claims.sid, userId: caller.claims.sub } : null;
}

const ticketId = (ticket: string) => createHash("sha256").update(ticket).digest("base64url");

/**
 * `oidc.interaction.complete`: the signed-in caller finishes the provider's
 * sign-in. The result (account, amr, acr, auth_time = the session's sign-in
 * time, an implicit-consent grant) is kept under a one-time ticket; the
 * answer is the URL the browser follows next, on the API's origin, where the
 * provider's own cookie proves it is the browser that started the request.
 */
export async function completeInteraction(
  deps: Deps,
  actor: Actor,
  input: { uid: string },
  origin: AuditOrigin,
): Promise<{ redirectTo: string }> {
  if (!deps.oidc) throw ssoUnavailable();
  const { provider, interaction, client } = await loadInteraction(deps.oidc, input.uid);
  const fail = async (reason: string) =>
    recordAudit(deps.db, origin, {
      action: "oidc.login",
      outcome: "failure",
      actorId: actor.userId,
      targetUserId: actor.userId,
      detail: { clientId: client.clientId, reason },
    });

  const { refusal } = await loadSignInUser(deps.db, actor.userId);
  if (refusal) {
    await fail(refusal);
    throw new DomainError("forbidden", "This account may not sign in to other applications now");
  }
  const facts = await sessionFacts(deps.db, actor.sessionId);
  if (!facts) throw notAuthenticated();
  if (needsFreshSignIn(interaction.params as Record<string, unknown>, interaction.iat, facts.createdAt)) {
    await fail("fresh_sign_in_required");
    throw freshSignInRequired();
  }

  const grant = new provider.Grant({ accountId: actor.userId, clientId: client.clientId });
  const requested = String(interaction.params.scope ?? "")
    .split(" ")
    .filter((scope) => (OIDC_SCOPES as readonly string[]).includes(scope));
  if (requested.length) grant.addOIDCScope(requested.join(" "));
  const grantId = await grant.save();

  const amr = amrOf(facts);
  const result: InteractionResults = {
    login: { accountId: actor.userId, amr, acr: acrOf(amr), ts: Math.floor(facts.createdAt.getTime() / 1000), remember: true },
    consent: { grantId },
  };
  const ticket = randomBytes(32).toString("base64url");
  await deps.oidc
    .store(TICKET_MODEL)
    .upsert(ticketId(ticket), { uid: interaction.uid, result, accountId: actor.userId } as never, TICKET_TTL_SECONDS);
  await recordAudit(deps.db, origin, {
    action: "oidc.login",
    outcome: "success",
    actorId: actor.userId,
    targetUserId: actor.userId,
    detail: { clientId: client.clientId, amr, sessionId: actor.sessionId },
  });
  const url = new URL(`${deps.oidc.issuer}/interaction/${encodeURIComponent(interaction.uid)}/finish`);
  url.searchParams.set("ticket", ticket);
  return { redirectTo: url.toString() };
}

/** Why a finish request was refused, for the page the browser shows. */
export class FinishRefused extends Error {}

/**
 * The browser arrives with the ticket: the ticket is taken (single use), and
 * must belong to the interaction whose cookie this browser carries; then the
 * provider records the result and redirects the browser back into the flow.
 */
export async function finishInteraction(
  oidc: OidcRuntime,
  db: Database,
  req: IncomingMessage,
  res: ServerResponse,
  input: { uid: string; ticket: string },
): Promise<void> {
  const [taken] = await db
    .delete(oidcProviderRecords)
    .where(and(eq(oidcProviderRecords.model, TICKET_MODEL), eq(oidcProviderRecords.id, ticketId(input.ticket))))
    .returning({ payload: oidcProviderRecords.payload, expiresAt: oidcProviderRecords.expiresAt });
  const payload = taken?.payload as { uid?: string; result?: InteractionResults } | undefined;
  if (!taken || !payload?.result || payload.uid !== input.uid || (taken.expiresAt && taken.expiresAt.getTime() < Date.now())) {
    throw new FinishRefused("This sign-in link has expired or was already used: start again from the application.");
  }
  const provider = await oidc.provider();
  let interaction: Awaited<ReturnType<typeof provider.interactionDetails>>;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch {
    throw new FinishRefused("This sign-in was started in another browser: start again from the application in this one.");
  }
  if (interaction.uid !== input.uid) {
    throw new FinishRefused("This sign-in was started in another browser: start again from the application in this one.");
  }
  await provider.interactionFinished(req, res, payload.result, { mergeWithLastSubmission: false });
}
