import { Router, type RequestHandler } from 'express';
import {
  AppError,
  createPlanRequest,
  createTenantRequest,
  listQuerySchema,
  ok,
  recordUsageRequest,
  TENANT_STATUSES,
  updatePlanRequest,
  updateSubscriptionRequest,
  updateTenantRequest,
} from '@ledgerline/contracts';
import { callerOf, parseBody, parseQuery, requirePlatformAdmin } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { caller } from './caller';
import { createPlan, deletePlan, getPlan, updatePlan } from '../use-cases/plans';
import {
  createTenant,
  deleteTenant,
  getTenant,
  listTenants,
  tenantUsage,
  updateSubscription,
  updateTenant,
} from '../use-cases/tenants';
import { recordUsage } from '../use-cases/usage';
import { planView, subscriptionView, tenantView } from '../views';

/** A tenant's own owner or admin may read its subscription and usage and report usage; others 403. */
const adminOrOwnTenant: RequestHandler = (req, _res, next) => {
  const auth = callerOf(req);
  const own = auth.tenantId === req.params.id && (auth.role === 'owner' || auth.role === 'admin');
  if (!auth.platformAdmin && !own)
    throw AppError.forbidden('This action is reserved to platform administrators');
  next();
};

/** Seed 003: /api/saas/tenants and /api/saas/plans. */
export function saasRoutes(deps: TenantsDeps): Router {
  const router = Router();
  const seedList = (
    key: string,
    results: unknown[],
    count: number,
    page: number,
    perPage: number,
  ) => ({
    results,
    count,
    page,
    per_page: perPage,
    // seed 003 names the list after its items and the count "total"
    [key]: results,
    total: count,
  });

  router.get('/plans', requirePlatformAdmin, async (req, res) => {
    const q = parseQuery(listQuerySchema, req);
    const isActive = q.filters.is_active === undefined ? undefined : q.filters.is_active === 'true';
    const { results, count } = await deps.plans.list(q.page, q.perPage, {
      is_active: isActive,
      search: q,
    });
    res.json(ok(seedList('plans', results.map(planView), count, q.page, q.perPage)));
  });
  router.post('/plans', requirePlatformAdmin, async (req, res) => {
    const plan = await createPlan(deps, caller(req), parseBody(createPlanRequest, req));
    res.status(201).json(ok(planView(plan), 'Plan created'));
  });
  router.get('/plans/:id', requirePlatformAdmin, async (req, res) => {
    res.json(ok(planView(await getPlan(deps, String(req.params.id)))));
  });
  const putPlan: RequestHandler = async (req, res) => {
    res.json(
      ok(
        planView(
          await updatePlan(
            deps,
            caller(req),
            String(req.params.id),
            parseBody(updatePlanRequest, req),
          ),
        ),
        'Plan updated',
      ),
    );
  };
  router.put('/plans/:id', requirePlatformAdmin, putPlan);
  router.patch('/plans/:id', requirePlatformAdmin, putPlan);
  router.delete('/plans/:id', requirePlatformAdmin, async (req, res) => {
    await deletePlan(deps, caller(req), String(req.params.id));
    res.json(ok({ deleted: true }, 'Plan deleted'));
  });

  router.get('/tenants', requirePlatformAdmin, async (req, res) => {
    const q = parseQuery(listQuerySchema, req);
    const status = q.filters.status;
    if (status !== undefined && !(TENANT_STATUSES as readonly string[]).includes(status)) {
      throw AppError.validation('Invalid query parameters', [
        { field: 'status', message: `must be one of ${TENANT_STATUSES.join(', ')}` },
      ]);
    }
    const { results, count } = await listTenants(deps, q.page, q.perPage, status, q);
    res.json(
      ok(
        seedList(
          'tenants',
          results.map((r) => tenantView(r.tenant, r.plan, deps.baseDomain)),
          count,
          q.page,
          q.perPage,
        ),
      ),
    );
  });
  router.post('/tenants', requirePlatformAdmin, async (req, res) => {
    const created = await createTenant(deps, caller(req), parseBody(createTenantRequest, req));
    const view = {
      ...tenantView(created.tenant, created.plan, deps.baseDomain),
      owner_user_id: created.tenant.owner_user_id,
      ...(created.ownerInvitationToken && { owner_invitation_token: created.ownerInvitationToken }),
    };
    res.status(201).json(ok(view, 'Tenant created'));
  });
  router.get('/tenants/:id', requirePlatformAdmin, async (req, res) => {
    const { tenant, plan } = await getTenant(deps, String(req.params.id));
    res.json(
      ok({
        ...tenantView(tenant, plan, deps.baseDomain),
        usage: await tenantUsage(deps, tenant._id),
      }),
    );
  });
  const putTenant: RequestHandler = async (req, res) => {
    const { tenant, plan } = await updateTenant(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(updateTenantRequest, req),
    );
    res.json(ok(tenantView(tenant, plan, deps.baseDomain), 'Tenant updated'));
  };
  router.put('/tenants/:id', requirePlatformAdmin, putTenant);
  router.patch('/tenants/:id', requirePlatformAdmin, putTenant);
  router.delete('/tenants/:id', requirePlatformAdmin, async (req, res) => {
    await deleteTenant(deps, caller(req), String(req.params.id));
    res.json(ok({ deleted: true }, 'Tenant deleted; its data is being removed from every service'));
  });

  router.get('/tenants/:id/subscription', adminOrOwnTenant, async (req, res) => {
    const { tenant, plan } = await getTenant(deps, String(req.params.id));
    res.json(ok(subscriptionView(tenant, plan)));
  });
  router.put('/tenants/:id/subscription', requirePlatformAdmin, async (req, res) => {
    const { tenant, plan } = await updateSubscription(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(updateSubscriptionRequest, req),
    );
    res.json(ok(subscriptionView(tenant, plan), 'Subscription updated'));
  });
  router.get('/tenants/:id/usage', adminOrOwnTenant, async (req, res) => {
    res.json(ok(await tenantUsage(deps, String(req.params.id))));
  });
  router.post('/tenants/:id/usage', adminOrOwnTenant, async (req, res) => {
    const result = await recordUsage(
      deps,
      String(req.params.id),
      parseBody(recordUsageRequest, req),
    );
    res
      .status(result.recorded ? 201 : 200)
      .json(ok(result, result.recorded ? 'Usage recorded' : 'Already recorded'));
  });

  return router;
}
