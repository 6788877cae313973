import { z } from "zod";

import type { OidcClientView } from "../services/oidc/clients";
import type { InteractionView } from "../services/oidc/interaction";
import { timestamp } from "./common";
import { sameShape } from "./same-shape";

/** The contract's OidcClient: a relying party registered by an admin (its secret is never read back). */
export const oidcClientSchema = z
  .object({
    clientId: z.string(),
    name: z.string(),
    redirectUris: z.array(z.string()),
    postLogoutRedirectUris: z.array(z.string()),
    backchannelLogoutUri: z.string().nullable(),
    secretRotatedAt: timestamp(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .meta({ id: "OidcClient" });
sameShape<z.output<typeof oidcClientSchema>, OidcClientView>(true);

export const oidcClientWithSecretSchema = oidcClientSchema
  .extend({ clientSecret: z.string().meta({ description: "Shown this once: store it in the application now" }) })
  .meta({ id: "OidcClientWithSecret" });

export const oidcInteractionSchema = z
  .object({
    uid: z.string(),
    client: z.object({ clientId: z.string(), name: z.string() }),
    scopes: z.array(z.string()),
    loginRequested: z.boolean().meta({ description: "The application asked for a fresh sign-in (prompt=login or max_age)" }),
    maxAge: z.number().nullable(),
    signedIn: z.boolean().meta({ description: "The call came with a valid access token" }),
    freshSignInRequired: z.boolean().meta({ description: "Signed in, but too long ago for this request: sign in again, then complete" }),
    expiresAt: timestamp(),
  })
  .meta({ id: "OidcInteraction" });
sameShape<z.output<typeof oidcInteractionSchema>, InteractionView>(true);

export const oidcRedirectSchema = z
  .object({ redirectTo: z.string().meta({ description: "Send the browser here (a top-level navigation)" }) })
  .meta({ id: "OidcRedirect" });
