import jwt from 'jsonwebtoken';
import { AppError, type AccessClaims, type Permission } from '@ledgerline/contracts';
import { ignoreNotFound, newId, type HeldAggregate } from '@ledgerline/platform';
import { newSecret, parseRefreshToken, refreshToken, sameHash, sha256 } from '../domain/secrets';
import type { Session } from '../store/sessions';
import type { Membership, User } from '../store/users';
import type { AuthDeps } from './deps';

export function userView(user: User) {
  return {
    id: user._id,
    username: user.username,
    email: user.email,
    full_name: user.full_name,
    created_at: new Date(user.created_at).toISOString(),
  };
}

export function tenantView(m: Membership) {
  return { id: m.tenant_id, name: m.tenant_name, slug: m.tenant_slug, role: m.role };
}

export interface IssuedTokens {
  token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  user: ReturnType<typeof userView>;
  tenant: ReturnType<typeof tenantView>;
}

export async function signAccessToken(
  deps: Pick<AuthDeps, 'keys' | 'issuer'>,
  claims: AccessClaims,
  ttlSeconds: number,
): Promise<string> {
  const key = await deps.keys.current();
  return jwt.sign(claims, key.privateKeyPem, {
    algorithm: 'RS256',
    keyid: key.kid,
    issuer: deps.issuer,
    expiresIn: ttlSeconds,
    jwtid: newId('jti'),
  });
}

function claimsFor(
  user: User,
  membership: Membership,
  sessionId: string,
  perms?: Permission[],
): AccessClaims {
  return {
    sub: user._id,
    tid: membership.tenant_id,
    role: membership.role,
    sid: sessionId,
    ...(user.platform_admin && { pa: true }),
    ...(perms && { perms }),
  };
}

/** A new login session for one of the user's tenants: an access token and a refresh token. */
export async function startSession(
  deps: AuthDeps,
  user: User,
  membership: Membership,
): Promise<IssuedTokens> {
  const sessionId = newId('ses');
  const secret = newSecret();
  await deps.sessions.insert({
    _id: sessionId,
    kind: 'password',
    user_id: user._id,
    tenant_id: membership.tenant_id,
    refresh_hash: sha256(secret),
    previous_hashes: [],
    expires_at: new Date(Date.now() + deps.refreshTokenTtlSeconds * 1000),
    revoked_at: null,
    revoked_reason: null,
  });
  return {
    token: await signAccessToken(
      deps,
      claimsFor(user, membership, sessionId),
      deps.accessTokenTtlSeconds,
    ),
    token_type: 'Bearer',
    expires_in: deps.accessTokenTtlSeconds,
    refresh_token: refreshToken(sessionId, secret),
    refresh_expires_in: deps.refreshTokenTtlSeconds,
    user: userView(user),
    tenant: tenantView(membership),
  };
}

const INVALID_REFRESH = 'Invalid or expired refresh token';

/**
 * Rotates a refresh token: the presented secret is replaced by a new one. Presenting an already
 * rotated secret means it was copied: the whole session is revoked (reuse detection).
 */
export async function refreshSession(deps: AuthDeps, presented: string): Promise<IssuedTokens> {
  const parsed = parseRefreshToken(presented);
  if (!parsed) throw AppError.unauthorized(INVALID_REFRESH);
  const outcome = await deps.aggregates.guard(
    deps.sessions.aggregate,
    parsed.sessionId,
    async (held) => {
      const session = await deps.sessions.findById(parsed.sessionId);
      if (
        !session ||
        session.kind !== 'password' ||
        session.revoked_at ||
        session.expires_at < new Date()
      ) {
        return { error: INVALID_REFRESH } as const;
      }
      const presentedHash = sha256(parsed.secret);
      if (session.previous_hashes.some((h) => sameHash(h, presentedHash))) {
        await markRevoked(deps, held, session, 'refresh_token_reuse');
        return { error: 'Refresh token was already used; the session has been revoked' } as const;
      }
      if (!session.refresh_hash || !sameHash(session.refresh_hash, presentedHash))
        return { error: INVALID_REFRESH } as const;
      const user = await deps.users.findById(session.user_id);
      const membership = user?.memberships.find((m) => m.tenant_id === session.tenant_id);
      if (!user || !membership) {
        await markRevoked(deps, held, session, 'membership_removed');
        return { error: INVALID_REFRESH } as const;
      }
      const secret = newSecret();
      const previous = [...session.previous_hashes, session.refresh_hash].slice(-50);
      await held.change<Session>(undefined, () => ({
        set: { refresh_hash: sha256(secret), previous_hashes: previous },
      }));
      return { session, user, membership, secret } as const;
    },
  );
  if ('error' in outcome) throw AppError.unauthorized(outcome.error);
  const { session, user, membership, secret } = outcome;
  return {
    token: await signAccessToken(
      deps,
      claimsFor(user, membership, session._id),
      deps.accessTokenTtlSeconds,
    ),
    token_type: 'Bearer',
    expires_in: deps.accessTokenTtlSeconds,
    refresh_token: refreshToken(session._id, secret),
    refresh_expires_in: Math.max(0, Math.floor((session.expires_at.getTime() - Date.now()) / 1000)),
    user: userView(user),
    tenant: tenantView(membership),
  };
}

async function markRevoked(
  deps: AuthDeps,
  held: HeldAggregate,
  session: Session,
  reason: string,
): Promise<void> {
  await held.change<Session>(undefined, () => ({ set: revoked(reason) }));
  await deps.revokeInGateways([session._id]);
}

const revoked = (reason: string) => ({ revoked_at: new Date(), revoked_reason: reason });

/** Ends sessions: their refresh tokens stop at once, their access tokens at every gateway. */
export async function revokeSessions(
  deps: AuthDeps,
  sessionIds: string[],
  reason: string,
): Promise<void> {
  if (sessionIds.length === 0) return;
  // the gateways first: an access token must stop working even if a session update below fails
  await deps.revokeInGateways(sessionIds);
  for (const id of sessionIds) {
    await deps.aggregates
      .change<Session>(deps.sessions.aggregate, { id }, (session) =>
        session.revoked_at ? undefined : { set: revoked(reason) },
      )
      .catch(ignoreNotFound);
  }
}
