import { Router } from 'express';
import { z } from 'zod';
import { AppError, ok } from '@ledgerline/contracts';
import { parseBody, parseQuery } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { exchangeApiToken } from '../use-cases/api-tokens';
import { tenantSettingsSnapshot } from '../use-cases/logo';
import { provisionOwnerRequest, provisionTenantOwner } from '../use-cases/tenant-owner';

/** For other services only: /internal is not in the gateway's route table, so clients cannot reach it. */
export function internalRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.post('/internal/api-tokens/exchange', async (req, res) => {
    res.json(
      ok(
        await exchangeApiToken(
          deps,
          parseBody(z.object({ token: z.string().min(1).max(512) }), req).token,
        ),
      ),
    );
  });
  router.post('/internal/tenants/:tenantId/owner', async (req, res) => {
    const owner = await provisionTenantOwner(
      deps,
      String(req.params.tenantId),
      parseBody(provisionOwnerRequest, req),
    );
    res.status(201).json(ok(owner));
  });
  // the issuer of a document (billing's invoice PDF); the logo's bytes only when asked for
  router.get('/internal/tenants/:tenantId/settings', async (req, res) => {
    const { logo } = parseQuery(z.object({ logo: z.enum(['0', '1']).optional() }), req);
    const snapshot = await tenantSettingsSnapshot(deps, String(req.params.tenantId), logo === '1');
    if (!snapshot) throw AppError.notFound('Tenant');
    res.json(ok(snapshot));
  });
  return router;
}
