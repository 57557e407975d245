/**
 * The signed-in session, in memory only: the access token and the refresh token live in this
 * module's variables, never in localStorage/sessionStorage or a readable cookie, so a script that
 * reads storage finds nothing. The cost: a reload (or a new tab) starts signed out, because the
 * refresh token cannot be kept safely across reloads without an HttpOnly cookie, which the auth
 * API does not set (docs/decisions/dashboard.md).
 */
export interface TokenPair {
  token: string;
  refresh_token: string;
}

let current: TokenPair | null = null;
let onEnded: (() => void) | null = null;
let refreshing: Promise<boolean> | null = null;

export const accessToken = () => current?.token ?? null;
export const hasSession = () => current !== null;

export function startSession(pair: TokenPair): void {
  current = { token: pair.token, refresh_token: pair.refresh_token };
}

/** Forgets the tokens and tells the app (which goes to sign-in). */
export function endSession(): void {
  const had = current !== null;
  current = null;
  if (had) onEnded?.();
}

export function whenSessionEnds(listener: () => void): void {
  onEnded = listener;
}

/**
 * Trades the refresh token for a new pair through POST /api/auth/refresh (the refresh token
 * rotates; a reused one revokes the session). Concurrent 401s share one refresh.
 */
export function refreshSession(): Promise<boolean> {
  const pair = current;
  if (!pair) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: pair.refresh_token }),
      });
      if (!res.ok) return false;
      const body = (await res.json()) as { data: TokenPair };
      if (current === pair) startSession(body.data);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
