import { Router } from 'express';
import { AppError, ok } from '@ledgerline/contracts';
import type { OwnerPlanLimits } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { tenantPlanLimits } from '../use-cases/plan-limits';
import { providerSubscriptionView } from '../provider-views';
import { planSnapshot } from '../use-cases/plans';

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
    res.json(ok(planSnapshot(plan, plan.revision ?? 1)));
  });
  // a provider's subscription as `GET /api/profile/{provider}/plans/{plan}/subscriptions/{subscriber}`
  // answers it (the same view), for the webhooks service's event catalogue; 404 when another provider's
  router.get('/internal/tenants/:tenantId/subscriptions/:id', async (req, res) => {
    const found = await deps.subscriptions.findById(String(req.params.id));
    if (!found || found.tenant_id !== String(req.params.tenantId))
      throw AppError.notFound('Subscription');
    const plan = await deps.providerPlans.findPlanById(found.tenant_id, found.plan_id);
    res.json(ok(providerSubscriptionView(found, plan)));
  });
  return router;
}
