import { buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import type { BillingPeriod } from '../domain/subscription';
import type { Plan } from '../store/plans';
import type { Tenant, TenantStatus } from '../store/tenants';

export function planChangedEvent(
  tenant: Tenant,
  plan: Plan | null,
  correlationId: string,
): EventEnvelope {
  return buildEvent('TenantPlanChanged', {
    tenant_id: tenant._id,
    correlation_id: correlationId,
    data: {
      tenant_id: tenant._id,
      plan_id: tenant.plan_id,
      plan_name: plan?.name ?? null,
      status: tenant.status as TenantStatus,
      limits: plan?.limits ?? {},
      billing_cycle: tenant.billing_cycle,
      expires_at: tenant.expires_at ? new Date(tenant.expires_at).toISOString() : null,
      revision: tenant.revision ?? 0,
    },
  });
}

/** A paid period of `plan` began: billing invoices it to the tenant (from the platform tenant). */
export function periodStartedEvent(
  tenant: Tenant,
  plan: Plan,
  period: BillingPeriod,
  reason: 'started' | 'renewed' | 'plan_changed',
  correlationId: string,
): EventEnvelope {
  return buildEvent('SubscriptionPeriodStarted', {
    tenant_id: tenant._id,
    correlation_id: correlationId,
    data: {
      tenant_id: tenant._id,
      plan_id: plan._id,
      plan_name: plan.name,
      billing_cycle: tenant.billing_cycle,
      period_start: period.start.toISOString(),
      period_end: period.end.toISOString(),
      amount_minor:
        tenant.billing_cycle === 'yearly' ? plan.price_yearly_minor : plan.price_monthly_minor,
      currency: plan.currency,
      reason,
    },
  });
}
