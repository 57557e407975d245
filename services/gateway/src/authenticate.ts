import type { Redis } from 'ioredis';
import { API_TOKEN_PREFIX, AppError, revokedSessionKey } from '@ledgerline/contracts';
import {
  bearerToken,
  createBreaker,
  type AuthContext,
  type Logger,
  type TokenVerifier,
} from '@ledgerline/platform';

/** Revocations reach every gateway within this long; "not revoked" answers are reused meanwhile. */
const REVOCATION_RECHECK_MS = 500;

/**
 * Who is calling: verifies the bearer token (cached until it expires), trades API tokens for
 * short access tokens at auth, and refuses sessions revoked by logout, password change, member
 * removal or API-token revocation.
 */
export function createAuthenticator(opts: {
  verifier: TokenVerifier;
  redis: Redis;
  authUrl: string;
  timeoutMs: number;
  logger: Logger;
}) {
  const exchanged = new Map<string, { token: string; expiresAt: number }>();
  const notRevoked = new Map<string, number>();

  const exchange = createBreaker(
    async (apiToken: string): Promise<{ token: string; expires_in: number }> => {
      const res = await fetch(`${opts.authUrl}/internal/api-tokens/exchange`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: apiToken }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (res.status === 401 || res.status === 422)
        throw AppError.unauthorized('Invalid API token');
      if (!res.ok) throw new Error(`auth answered ${res.status}`);
      return ((await res.json()) as { data: { token: string; expires_in: number } }).data;
    },
    { name: 'auth', timeoutMs: opts.timeoutMs + 500 },
  );

  async function accessTokenFor(apiToken: string): Promise<string> {
    const cached = exchanged.get(apiToken);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const { token, expires_in } = await exchange.fire(apiToken);
    if (exchanged.size > 10_000) exchanged.clear();
    // renewed 10 s before it expires so a request never carries a token about to lapse
    exchanged.set(apiToken, { token, expiresAt: Date.now() + (expires_in - 10) * 1000 });
    return token;
  }

  async function isRevoked(sessionId: string): Promise<boolean> {
    const checkedAt = notRevoked.get(sessionId);
    if (checkedAt && Date.now() - checkedAt < REVOCATION_RECHECK_MS) return false;
    let revoked: boolean;
    try {
      revoked = (await opts.redis.exists(revokedSessionKey(sessionId))) === 1;
    } catch {
      // Redis away: fail open, as for rate limits; access tokens are short-lived
      return false;
    }
    if (revoked) {
      notRevoked.delete(sessionId);
      return true;
    }
    if (notRevoked.size > 50_000) notRevoked.clear();
    notRevoked.set(sessionId, Date.now());
    return false;
  }

  return {
    /** Authenticates and, for an API token, rewrites the header to the access token services verify. */
    async authenticate(headers: { authorization?: string }): Promise<AuthContext> {
      const presented = bearerToken(headers.authorization);
      if (!presented) throw AppError.unauthorized('Authentication credentials were not provided');
      let token = presented;
      if (token.startsWith(API_TOKEN_PREFIX)) {
        token = await accessTokenFor(token);
        headers.authorization = `Bearer ${token}`;
      }
      const context = await opts.verifier.verify(token);
      if (await isRevoked(context.sessionId)) {
        exchanged.delete(presented);
        throw AppError.unauthorized('This session has been revoked');
      }
      return context;
    },
  };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
