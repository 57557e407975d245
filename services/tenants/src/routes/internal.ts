import { Router } from 'express';
import { AppError, ok, type PlanSnapshot } from '@ledgerline/contracts';
import { planSlug } from '../store/plans';
import type { TenantsDeps } from '../use-cases/deps';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Billing prices seed 001's cart and checkout from a plan as it is now (its event-fed copy
 * may miss a plan made a moment ago, or hold its old price).
 */
export function internalRoutes(deps: Pick<TenantsDeps, 'plans'>): Router {
  const router = Router();
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
