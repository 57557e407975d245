import type { OwnerPlanLimits } from '@ledgerline/platform';
import type { TenantsDeps } from './deps';

/**
 * A tenant's plan limits as they are now, with the revision its TenantPlanChanged events carry.
 * A tenant this service does not hold has no plan (plans are only given here), hence no limits:
 * `known: false`. No lock is needed: a plan's new limits read before their republication carry
 * the old revision, which that republication's event then supersedes with the same limits.
 */
export async function tenantPlanLimits(
  deps: TenantsDeps,
  tenantId: string,
): Promise<OwnerPlanLimits> {
  const tenant = await deps.tenants.findById(tenantId);
  if (!tenant)
    return { tenant_id: tenantId, known: false, status: 'unknown', limits: {}, revision: 0 };
  const plan = tenant.plan_id ? await deps.plans.findById(tenant.plan_id) : null;
  return {
    tenant_id: tenantId,
    known: true,
    status: tenant.status,
    limits: plan?.limits ?? {},
    revision: tenant.revision ?? 0,
  };
}
