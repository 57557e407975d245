import { Router } from 'express';
import { z } from 'zod';
import { ok } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { exchangeApiToken } from '../use-cases/api-tokens';
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
  return router;
}
