import {
  AppError,
  ROLE_PERMISSIONS,
  type CreateApiTokenRequest,
  type Permission,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { apiTokenString, newSecret, parseApiToken, sameHash, sha256 } from '../domain/secrets';
import type { ApiToken } from '../store/api-tokens';
import type { AuthDeps, Caller } from './deps';
import { signAccessToken } from './tokens';

/** API-token access tokens live one minute: revocation also reaches gateways through Redis. */
export const API_TOKEN_ACCESS_TTL_SECONDS = 60;

export function apiTokenView(t: Omit<ApiToken, 'secret_hash'>) {
  return {
    id: t._id,
    name: t.name,
    role: t.role,
    permissions: t.permissions,
    platform: t.platform,
    created_by: t.created_by,
    revoked_at: t.revoked_at ? t.revoked_at.toISOString() : null,
    created_at: t.created_at.toISOString(),
  };
}

export async function createApiToken(deps: AuthDeps, caller: Caller, req: CreateApiTokenRequest) {
  if (req.role === 'owner' && caller.role !== 'owner')
    throw AppError.forbidden('Only an owner can create an owner token');
  const granted = new Set(ROLE_PERMISSIONS[req.role]);
  const permissions = (req.permissions ?? [...granted]).filter((p) => granted.has(p));
  const beyondCaller = permissions.filter((p) => !caller.permissions.has(p));
  if (beyondCaller.length > 0) {
    throw AppError.forbidden(
      `A token cannot hold permissions you do not have: ${beyondCaller.join(', ')}`,
    );
  }
  const id = newId('tok');
  const secret = newSecret();
  const token: Omit<ApiToken, 'created_at' | 'updated_at'> = {
    _id: id,
    tenant_id: caller.tenantId,
    name: req.name,
    role: req.role,
    permissions: permissions as Permission[],
    platform: caller.platformAdmin,
    secret_hash: sha256(secret),
    created_by: caller.userId,
    revoked_at: null,
    last_used_at: null,
  };
  await deps.apiTokens.insert(token);
  const saved = (await deps.apiTokens.findInTenant(caller.tenantId, id)) as ApiToken;
  return { ...apiTokenView(saved), token: apiTokenString(id, secret) };
}

export async function listApiTokens(deps: AuthDeps, caller: Caller) {
  return (await deps.apiTokens.list(caller.tenantId)).map(apiTokenView);
}

export async function revokeApiToken(deps: AuthDeps, caller: Caller, id: string): Promise<void> {
  const token = await deps.apiTokens.findInTenant(caller.tenantId, id);
  if (!token) throw AppError.notFound('API token');
  await deps.revokeInGateways([id]);
  await deps.apiTokens.revoke(id, new Date());
}

/**
 * The gateway trades an API token for a one-minute access token that services verify like any
 * other; the token id is its session id, so revocation works the same way.
 */
export async function exchangeApiToken(
  deps: AuthDeps,
  presented: string,
): Promise<{ token: string; expires_in: number }> {
  const parsed = parseApiToken(presented);
  const stored = parsed ? await deps.apiTokens.findById(parsed.tokenId) : null;
  if (
    !parsed ||
    !stored ||
    stored.revoked_at ||
    !sameHash(stored.secret_hash, sha256(parsed.secret))
  ) {
    throw AppError.unauthorized('Invalid API token');
  }
  const token = await signAccessToken(
    deps,
    {
      sub: stored._id,
      tid: stored.tenant_id,
      role: stored.role,
      sid: stored._id,
      perms: stored.permissions,
      ...(stored.platform && { pa: true }),
    },
    API_TOKEN_ACCESS_TTL_SECONDS,
  );
  return { token, expires_in: API_TOKEN_ACCESS_TTL_SECONDS };
}
