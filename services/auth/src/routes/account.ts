import { Router } from 'express';
import {
  AppError,
  createApiTokenRequest,
  ok,
  passwordChangeRequest,
  switchTenantRequest,
} from '@ledgerline/contracts';
import { parseBody, requirePermission, requirePlatformAdmin } from '@ledgerline/platform';
import { changePassword, listMemberships, switchTenant } from '../use-cases/accounts';
import { createApiToken, listApiTokens, revokeApiToken } from '../use-cases/api-tokens';
import type { AuthDeps } from '../use-cases/deps';
import { revokeSessions, userView } from '../use-cases/tokens';
import { caller } from './caller';

/** Session, password, tenant switching, API tokens and signing keys: all need a valid token. */
export function accountRoutes(deps: AuthDeps): Router {
  const router = Router();

  router.get('/api/auth/me', async (req, res) => {
    const c = caller(req);
    const user = await deps.users.findById(c.userId);
    if (!user) throw AppError.notFound('User');
    res.json(
      ok({
        ...userView(user),
        tenant_id: c.tenantId,
        role: c.role,
        platform_admin: c.platformAdmin,
        tenants: listMemberships(user),
      }),
    );
  });

  router.post('/api/auth/logout', async (req, res) => {
    await revokeSessions(deps, [caller(req).sessionId], 'logout');
    res.json(ok({ logged_out: true }, 'Session ended'));
  });

  router.post('/api/auth/password', async (req, res) => {
    const body = parseBody(passwordChangeRequest, req);
    await changePassword(deps, caller(req), body.old_password, body.new_password);
    res.json(
      ok({ password_changed: true }, 'Password changed; your other sessions have been ended'),
    );
  });

  router.post('/api/auth/switch', async (req, res) => {
    const issued = await switchTenant(
      deps,
      caller(req),
      parseBody(switchTenantRequest, req).tenant_id,
    );
    res.json({ ...ok(issued), token: issued.token });
  });

  router.get('/api/auth/api-tokens', requirePermission('settings:read'), async (req, res) => {
    const results = await listApiTokens(deps, caller(req));
    res.json(ok({ results, count: results.length, page: 1, per_page: results.length }));
  });
  router.post('/api/auth/api-tokens', requirePermission('settings:update'), async (req, res) => {
    const created = await createApiToken(deps, caller(req), parseBody(createApiTokenRequest, req));
    res
      .status(201)
      .json(ok(created, 'API token created; copy the token now, it is not shown again'));
  });
  router.delete(
    '/api/auth/api-tokens/:id',
    requirePermission('settings:update'),
    async (req, res) => {
      await revokeApiToken(deps, caller(req), String(req.params.id));
      res.json(ok({ revoked: true }, 'API token revoked'));
    },
  );

  router.post('/api/auth/keys/rotate', requirePlatformAdmin, async (_req, res) => {
    const key = await deps.keys.rotate();
    res
      .status(201)
      .json(ok({ kid: key.kid }, 'New signing key in use; older keys stay valid until retired'));
  });
  router.post('/api/auth/keys/retire', requirePlatformAdmin, async (_req, res) => {
    const retired = await deps.keys.retireOlderThan(
      new Date(Date.now() - deps.accessTokenTtlSeconds * 1000),
    );
    res.json(ok({ retired }));
  });

  return router;
}
