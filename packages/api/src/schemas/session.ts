import { z } from "zod";

import type { SessionView } from "../services/session-views";
import { timestamp, uuid } from "./common";
import { sameShape } from "./same-shape";

/** The contract's Session: one live sign-in. */
export const sessionSchema = z
  .object({
    id: uuid(),
    createdAt: timestamp(),
    lastUsedAt: timestamp().meta({ description: "The last refresh (or the sign-in)" }),
    expiresAt: timestamp(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    mfa: z.boolean().meta({ description: "Signed in with a second factor" }),
    current: z.boolean().meta({ description: "The session this call was made with" }),
  })
  .meta({ id: "Session" });
sameShape<z.output<typeof sessionSchema>, SessionView>(true);

export const revokedCountSchema = z.object({ revoked: z.number().int() }).meta({ id: "RevokedCount" });
