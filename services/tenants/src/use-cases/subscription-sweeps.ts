import type { Tenant } from '../store/tenants';
import { duePeriods } from '../domain/subscription';
import type { TenantsDeps } from './deps';
import { periodStartedEvent } from './tenant-events';
import { changeTenant, unlessGone } from './tenants';

/**
 * Renewals: every active tenant whose last billed period has ended enters the next one(s); each
 * new period is announced once (billed_through moves forward in the same write, under the lock).
 */
export async function renewDueSubscriptions(deps: TenantsDeps, now = new Date()): Promise<number> {
  let renewed = 0;
  for (const t of await deps.tenants.dueForRenewal(now)) {
    let periodCount = 0;
    const result = await deps.aggregates
      .change<Tenant>(deps.tenants.aggregate, { id: t._id }, async (tenant) => {
        if (tenant.status !== 'active' || !tenant.billed_through || !tenant.plan_id)
          return undefined;
        const plan = await deps.plans.findById(tenant.plan_id);
        if (!plan) return undefined;
        const expiry = tenant.expires_at ? new Date(tenant.expires_at) : null;
        const periods = duePeriods(
          new Date(tenant.started_at),
          tenant.billing_cycle,
          new Date(tenant.billed_through),
          now,
        ).filter((p) => !expiry || p.start < expiry);
        if (periods.length === 0) return undefined;
        const correlationId = `renewal-${tenant._id}`;
        periodCount = periods.length;
        return {
          set: { billed_through: periods[periods.length - 1]!.end },
          events: periods.map((p) => periodStartedEvent(tenant, plan, p, 'renewed', correlationId)),
        };
      })
      .catch(unlessGone);
    if (result?.changed) renewed += periodCount;
  }
  return renewed;
}

/** Trials and subscriptions that ran out: a trial becomes inactive, a paid plan suspended. */
export async function expireDueTenants(deps: TenantsDeps, now = new Date()): Promise<number> {
  const due = await deps.tenants.expiredBefore(now);
  for (const t of due) {
    await changeTenant(
      deps,
      {
        userId: 'system',
        tenantId: t._id,
        platformAdmin: true,
        role: 'owner',
        requestId: 'expiry',
        correlationId: `expiry-${t._id}`,
      },
      t._id,
      async (fresh) =>
        fresh.expires_at &&
        new Date(fresh.expires_at) <= now &&
        (fresh.status === 'trial' || fresh.status === 'active')
          ? { status: fresh.status === 'trial' ? 'inactive' : 'suspended' }
          : {},
    ).catch(unlessGone);
  }
  return due.length;
}
