import { Router } from 'express';
import { AppError, AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { changePassword, listMemberships, switchTenant } from '../use-cases/accounts';
import { createApiToken, listApiTokens, revokeApiToken } from '../use-cases/api-tokens';
import type { AuthDeps } from '../use-cases/deps';
import { revokeSessions, userView } from '../use-cases/tokens';

/** Session, password, tenant switching, API tokens and signing keys: all need a valid token. */
export function accountRoutes(deps: AuthDeps): Router {
  const router = Router();

  bindRoute(router, R.me, async ({ caller }) => {
    const user = await deps.users.findById(caller.userId);
    if (!user) throw AppError.notFound('User');
    return {
      data: {
        ...userView(user),
        tenant_id: caller.tenantId,
        role: caller.role,
        platform_admin: caller.platformAdmin,
        tenants: listMemberships(user),
      },
    };
  });

  bindRoute(router, R.logout, async ({ caller }) => {
    await revokeSessions(deps, [caller.sessionId], 'logout');
    return { data: { logged_out: true }, message: 'Session ended' };
  });

  bindRoute(router, R.changePassword, async ({ caller, body }) => {
    await changePassword(deps, caller, body.old_password, body.new_password);
    return {
      data: { password_changed: true },
      message: 'Password changed; your other sessions have been ended',
    };
  });

  bindRoute(router, R.switchTenant, async ({ caller, body }) => {
    const issued = await switchTenant(deps, caller, body.tenant_id);
    return { data: issued, extra: { token: issued.token } };
  });

  bindRoute(router, R.listApiTokens, async ({ caller }) => {
    const results = await listApiTokens(deps, caller);
    return { data: { results, count: results.length, page: 1, per_page: results.length } };
  });
  bindRoute(router, R.createApiToken, async ({ caller, body }) => ({
    data: await createApiToken(deps, caller, body),
    message: 'API token created; copy the token now, it is not shown again',
  }));
  bindRoute(router, R.revokeApiToken, async ({ caller, params }) => {
    await revokeApiToken(deps, caller, params.id);
    return { data: { revoked: true }, message: 'API token revoked' };
  });

  bindRoute(router, R.rotateKeys, async () => {
    const key = await deps.keys.rotate();
    return {
      data: { kid: key.kid },
      message: 'New signing key in use; older keys stay valid until retired',
    };
  });
  bindRoute(router, R.retireKeys, async () => {
    const cutoff = new Date(Date.now() - deps.accessTokenTtlSeconds * 1000);
    return { data: { retired: await deps.keys.retireOlderThan(cutoff) } };
  });

  return router;
}
