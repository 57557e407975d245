import { Router } from 'express';
import { ok } from '@ledgerline/contracts';
import type { OwnerPlanLimits } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { tenantPlanLimits } from '../use-cases/plan-limits';

/** For other services only: /internal is not in the gateway's route table, so clients cannot reach it. */
export function internalRoutes(deps: TenantsDeps): Router {
  const router = Router();
  // the owner's answer when a service's copy of a tenant's limits is missing or refuses
  router.get('/internal/tenants/:tenantId/plan-limits', async (req, res) => {
    const answer: OwnerPlanLimits = await tenantPlanLimits(deps, String(req.params.tenantId));
    res.json(ok(answer));
  });
  return router;
}
