import { formatMinor } from '@ledgerline/contracts';
import { nextInvoiceAt } from './domain/subscription';
import type { Plan } from './store/plans';
import type { Tenant, TenantStatus } from './store/tenants';

export function planView(p: Plan) {
  return {
    id: p._id,
    name: p.name,
    price_monthly: formatMinor(p.price_monthly_minor, p.currency),
    price_yearly: formatMinor(p.price_yearly_minor, p.currency),
    currency: p.currency,
    billing_cycle: p.billing_cycle,
    is_popular: p.is_popular,
    trial_enabled: p.trial_enabled,
    trial_days: p.trial_days,
    is_active: p.is_active,
    limits: p.limits ?? {},
    created_at: new Date(p.created_at).toISOString(),
    updated_at: new Date(p.updated_at).toISOString(),
  };
}

export function tenantView(t: Tenant, plan: Plan | null, baseDomain: string) {
  return {
    id: t._id,
    company_name: t.company_name,
    subdomain: t.subdomain,
    domain: `${t.subdomain}.${baseDomain}`,
    plan: plan?.name ?? null,
    plan_id: t.plan_id,
    plan_name: plan?.name ?? null,
    status: t.status as TenantStatus,
    created_at: new Date(t.created_at).toISOString(),
    expires_at: t.expires_at ? new Date(t.expires_at).toISOString() : null,
  };
}

export function subscriptionView(t: Tenant, plan: Plan | null, now = new Date()) {
  const started = new Date(t.started_at);
  const next =
    t.status === 'inactive' || t.status === 'suspended'
      ? null
      : nextInvoiceAt(started, t.billing_cycle, now);
  return {
    tenant_id: t._id,
    plan_id: t.plan_id,
    plan_name: plan?.name ?? null,
    status: t.status as TenantStatus,
    started_at: started.toISOString(),
    expires_at: t.expires_at ? new Date(t.expires_at).toISOString() : null,
    next_invoice_at: next ? next.toISOString() : null,
    billing_cycle: t.billing_cycle,
  };
}
