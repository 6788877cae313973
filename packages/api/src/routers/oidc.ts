import { z } from "zod";

import { text } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { oidcClientSchema, oidcClientWithSecretSchema, oidcInteractionSchema, oidcRedirectSchema, successSchema } from "../schemas";
import { createOidcClient, deleteOidcClient, listOidcClients, rotateOidcClientSecret, updateOidcClient } from "../services/oidc/clients";
import { completeInteraction, getInteraction } from "../services/oidc/interaction";
import { adminProcedure, protectedProcedure, publicProcedure, router } from "../trpc";

/** A redirect target a relying party registers: an absolute http(s) URL without a fragment (RFC 6749 §3.1.2). */
const redirectUri = text()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: "Must be an http:// or https:// URL" }))
  .refine((value) => !value.includes("#"), { message: "Must not contain a fragment (#)" });

const clientFields = {
  name: text().trim().min(1).max(120),
  redirectUris: z.array(redirectUri).min(1).max(20),
  postLogoutRedirectUris: z.array(redirectUri).max(20).optional(),
  backchannelLogoutUri: redirectUri.nullable().optional(),
};

const clientId = text().trim().min(1).max(64);
const interactionUid = text().trim().min(1).max(64);

const clientsRouter = router({
  list: adminProcedure
    .meta(rest("GET", "/oidc/clients", { summary: "The registered OpenID clients (connected apps)", access: "admin" }))
    .output(z.array(oidcClientSchema))
    .query(({ ctx }) => listOidcClients(ctx.deps)),

  create: adminProcedure
    .meta(
      rest("POST", "/oidc/clients", {
        summary: "Register an OpenID client",
        description: "Answers the client with its clientSecret, shown this once.",
        access: "admin",
        errors: [400],
      }),
    )
    .output(oidcClientWithSecretSchema)
    .input(z.strictObject(clientFields))
    .mutation(({ ctx, input }) => createOidcClient(ctx.deps, ctx.actor, input, ctx.request)),

  update: adminProcedure
    .meta(
      rest("PATCH", "/oidc/clients/{clientId}", {
        summary: "Change an OpenID client's name or URIs",
        description: "Fields left out keep their value; backchannelLogoutUri null removes it.",
        access: "admin",
        errors: [400, 404],
      }),
    )
    .output(oidcClientSchema)
    .input(
      z.strictObject({
        clientId,
        name: clientFields.name.optional(),
        redirectUris: clientFields.redirectUris.optional(),
        postLogoutRedirectUris: clientFields.postLogoutRedirectUris,
        backchannelLogoutUri: clientFields.backchannelLogoutUri,
      }),
    )
    .mutation(({ ctx, input }) => updateOidcClient(ctx.deps, ctx.actor, input, ctx.request)),

  rotateSecret: adminProcedure
    .meta(
      rest("POST", "/oidc/clients/{clientId}/rotate-secret", {
        summary: "Give an OpenID client a new secret",
        description: "The old secret stops working at once; the new one is shown this once.",
        access: "admin",
        errors: [404],
      }),
    )
    .output(oidcClientWithSecretSchema)
    .input(z.strictObject({ clientId }))
    .mutation(({ ctx, input }) => rotateOidcClientSecret(ctx.deps, ctx.actor, input, ctx.request)),

  delete: adminProcedure
    .meta(rest("DELETE", "/oidc/clients/{clientId}", { summary: "Remove an OpenID client", access: "admin", errors: [404] }))
    .output(successSchema)
    .input(z.strictObject({ clientId }))
    .mutation(({ ctx, input }) => deleteOidcClient(ctx.deps, ctx.actor, input, ctx.request)),
});

const interactionRouter = router({
  get: publicProcedure
    .meta(
      rest("GET", "/oidc/interactions/{uid}", {
        summary: "A pending single sign-on request, for the web app's sign-in page",
        description:
          "Works signed out (to name the application); with an access token it also says whether that session may complete the request as is.",
        access: "public",
        errors: [404],
      }),
    )
    .output(oidcInteractionSchema)
    .input(z.strictObject({ uid: interactionUid }))
    .query(({ ctx, input }) => getInteraction(ctx.deps, ctx.request.authorization, input)),

  complete: protectedProcedure
    .meta(
      rest("POST", "/oidc/interactions/{uid}/complete", {
        summary: "Finish a single sign-on request as the signed-in user",
        description:
          "Answers the URL to send the browser to. FORBIDDEN with reason FRESH_SIGN_IN_REQUIRED when the application asked for a newer sign-in than this session's.",
        access: "user",
        errors: [403, 404],
      }),
    )
    .output(oidcRedirectSchema)
    .input(z.strictObject({ uid: interactionUid }))
    .mutation(({ ctx, input }) => completeInteraction(ctx.deps, ctx.actor, input, ctx.request)),
});

export const oidcRouter = router({
  clients: clientsRouter,
  interaction: interactionRouter,
});
