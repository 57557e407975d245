import { Router } from 'express';
import { AppError, ok, type PlanSnapshot } from '@ledgerline/contracts';
import type { OwnerPlanLimits } from '@ledgerline/platform';
import { planSlug } from '../store/plans';
import type { TenantsDeps } from '../use-cases/deps';
import { tenantPlanLimits } from '../use-cases/plan-limits';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Tenants owns plans and limits: services ask here when their event-fed copies miss or may be
 * older than a decision needs.
 */
export function internalRoutes(deps: TenantsDeps): Router {
  const router = Router();
  // the owner's answer when a service's copy of a tenant's limits is missing or refuses
  router.get('/internal/tenants/:tenantId/plan-limits', async (req, res) => {
    const answer: OwnerPlanLimits = await tenantPlanLimits(deps, String(req.params.tenantId));
    res.json(ok(answer));
  });
  // billing prices seed 001's cart and checkout from a plan as it is now (its copy may miss a plan
  // made a moment ago, or hold its old price)
  router.get('/internal/plans/:key', async (req, res) => {
    const plan = await deps.plans.findByIdOrSlug(String(req.params.key));
    if (!plan) throw AppError.notFound('Plan');
    const snapshot: PlanSnapshot = {
      plan_id: plan._id,
      name: plan.name,
      slug: planSlug(plan.name),
      price_monthly_minor: plan.price_monthly_minor,
      price_yearly_minor: plan.price_yearly_minor,
      currency: plan.currency,
      is_active: plan.is_active,
      revision: plan.revision ?? 1,
    };
    res.json(ok(snapshot));
  });
  return router;
}
