import type { PublicUser } from "./public-user";
import type { TokenService } from "./tokens";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "bearer";
  expiresIn: number;
  refreshExpiresIn: number;
  user: PublicUser;
}

export async function issueTokenPair(
  tokens: TokenService,
  user: PublicUser,
  session: { sessionId: string; refreshJti: string },
): Promise<TokenPair> {
  const [accessToken, refreshToken] = await Promise.all([
    tokens.signAccess({
      sub: user.id,
      sid: session.sessionId,
      email: user.email,
      role: user.isAdmin ? "admin" : "user",
    }),
    tokens.signRefresh({ sub: user.id, sid: session.sessionId, jti: session.refreshJti }),
  ]);
  return {
    accessToken,
    refreshToken,
    tokenType: "bearer",
    expiresIn: tokens.accessTtlSeconds,
    refreshExpiresIn: tokens.refreshTtlSeconds,
    user,
  };
}

export const refreshExpiry = (tokens: TokenService) => new Date(Date.now() + tokens.refreshTtlSeconds * 1000);
