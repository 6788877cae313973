import { z } from "zod";

import type { TokenPair } from "../services/token-pair";
import { sameShape } from "./same-shape";
import { publicUserSchema } from "./user";

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal("bearer"),
    expiresIn: z.number().meta({ description: "Seconds until the access token expires" }),
    refreshExpiresIn: z.number().meta({ description: "Seconds until the refresh token expires" }),
    user: publicUserSchema,
  })
  .meta({ id: "TokenPair" });
sameShape<z.output<typeof tokenPairSchema>, TokenPair>(true);

export const registeredSchema = z.object({ user: publicUserSchema });
