import { Router } from 'express';
import { AppError, toListQuery, TENANT_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute, type RequestCaller } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
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
function assertAdminOrOwnTenant(caller: RequestCaller, tenantId: string): void {
  const own = caller.tenantId === tenantId && (caller.role === 'owner' || caller.role === 'admin');
  if (!caller.platformAdmin && !own)
    throw AppError.forbidden('This action is reserved to platform administrators');
}

/** Seed 003 names a list after its items and its count "total", beside the common page fields. */
function seedList<T>(key: string, results: T[], count: number, page: number, perPage: number) {
  return { results, count, page, per_page: perPage, [key]: results, total: count };
}

/** Seed 003: /api/saas/tenants and /api/saas/plans. */
export function saasRoutes(deps: TenantsDeps): Router {
  const router = Router();

  bindRoute(router, R.listPlans, async ({ query }) => {
    const q = toListQuery(query);
    const isActive =
      query.is_active === undefined ? undefined : ['true', '1', 'True'].includes(query.is_active);
    const { results, count } = await deps.plans.list(q.page, q.perPage, {
      is_active: isActive,
      search: q,
    });
    return { data: seedList('plans', results.map(planView), count, q.page, q.perPage) };
  });
  bindRoute(router, R.createPlan, async ({ caller, body }) => ({
    data: planView(await createPlan(deps, caller, body)),
    message: 'Plan created',
  }));
  bindRoute(router, R.getPlan, async ({ params }) => ({
    data: planView(await getPlan(deps, params.id)),
  }));
  for (const spec of [R.replacePlan, R.updatePlan]) {
    bindRoute(router, spec, async ({ caller, params, body }) => ({
      data: planView(await updatePlan(deps, caller, params.id, body)),
      message: 'Plan updated',
    }));
  }
  bindRoute(router, R.deletePlan, async ({ caller, params }) => {
    await deletePlan(deps, caller, params.id);
    return { data: { deleted: true }, message: 'Plan deleted' };
  });

  bindRoute(router, R.listTenants, async ({ query }) => {
    const q = toListQuery(query);
    const { results, count } = await listTenants(deps, q.page, q.perPage, query.status, q);
    const views = results.map((r) => tenantView(r.tenant, r.plan, deps.baseDomain));
    return { data: seedList('tenants', views, count, q.page, q.perPage) };
  });
  bindRoute(router, R.createTenant, async ({ caller, body }) => {
    const created = await createTenant(deps, caller, body);
    const view = {
      ...tenantView(created.tenant, created.plan, deps.baseDomain),
      owner_user_id: created.tenant.owner_user_id,
      ...(created.ownerInvitationToken && { owner_invitation_token: created.ownerInvitationToken }),
    };
    return { data: view, message: 'Tenant created' };
  });
  bindRoute(router, R.getTenant, async ({ params }) => {
    const { tenant, plan } = await getTenant(deps, params.id);
    const usage = await tenantUsage(deps, tenant._id);
    return { data: { ...tenantView(tenant, plan, deps.baseDomain), usage } };
  });
  for (const spec of [R.replaceTenant, R.updateTenant]) {
    bindRoute(router, spec, async ({ caller, params, body }) => {
      const { tenant, plan } = await updateTenant(deps, caller, params.id, body);
      return { data: tenantView(tenant, plan, deps.baseDomain), message: 'Tenant updated' };
    });
  }
  bindRoute(router, R.deleteTenant, async ({ caller, params }) => {
    await deleteTenant(deps, caller, params.id);
    return {
      data: { deleted: true },
      message: 'Tenant deleted; its data is being removed from every service',
    };
  });

  bindRoute(router, R.getSubscription, async ({ caller, params }) => {
    assertAdminOrOwnTenant(caller, params.id);
    const { tenant, plan } = await getTenant(deps, params.id);
    return { data: subscriptionView(tenant, plan) };
  });
  bindRoute(router, R.updateSubscription, async ({ caller, params, body }) => {
    const { tenant, plan } = await updateSubscription(deps, caller, params.id, body);
    return { data: subscriptionView(tenant, plan), message: 'Subscription updated' };
  });
  bindRoute(router, R.getUsage, async ({ caller, params }) => {
    assertAdminOrOwnTenant(caller, params.id);
    return { data: await tenantUsage(deps, params.id) };
  });
  // a repeated event_id answers the same 201 with recorded: false (nothing is counted twice)
  bindRoute(router, R.recordUsage, async ({ caller, params, body }) => {
    assertAdminOrOwnTenant(caller, params.id);
    const result = await recordUsage(deps, params.id, body);
    return { data: result, message: result.recorded ? 'Usage recorded' : 'Already recorded' };
  });

  return router;
}
