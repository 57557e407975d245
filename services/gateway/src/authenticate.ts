import { API_TOKEN_PREFIX, AppError } from '@ledgerline/contracts';
import {
  bearerToken,
  createBreaker,
  type AuthContext,
  type Logger,
  type TokenVerifier,
} from '@ledgerline/platform';

/**
 * Who is calling: verifies the bearer token (cached until it expires), trades API tokens for
 * short access tokens at auth. Whether the session was revoked (logout, password change, member
 * removal, API-token revocation) is asked of Redis by the caller, in the same round trip as the
 * rate limits (see rate-limit.ts), on every request.
 */
export function createAuthenticator(opts: {
  verifier: TokenVerifier;
  authUrl: string;
  timeoutMs: number;
  logger: Logger;
}) {
  const exchanged = new Map<string, { token: string; expiresAt: number }>();

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

  return {
    /**
     * Verifies the caller and, for an API token, rewrites the header to the access token services
     * verify. `beforeExchange` runs before an API token is traded at auth (the caller's per-IP
     * limit: a flood of made-up API tokens must not reach auth beyond it).
     */
    async authenticate(
      headers: { authorization?: string },
      beforeExchange: () => Promise<void>,
    ): Promise<AuthContext> {
      const presented = bearerToken(headers.authorization);
      if (!presented) throw AppError.unauthorized('Authentication credentials were not provided');
      let token = presented;
      if (token.startsWith(API_TOKEN_PREFIX)) {
        const cached = exchanged.get(token);
        if (!cached || cached.expiresAt <= Date.now()) await beforeExchange();
        token = await accessTokenFor(token);
        headers.authorization = `Bearer ${token}`;
      }
      return opts.verifier.verify(token);
    },
    /**
     * The session turned out revoked: the 401, and the access token an API token (the
     * `authorization` header as the client sent it) was traded for is forgotten.
     */
    revoked(presentedHeader: string | undefined): never {
      const presented = bearerToken(presentedHeader);
      if (presented) exchanged.delete(presented);
      throw AppError.unauthorized('This session has been revoked');
    },
  };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
