import { formatMinor } from '@ledgerline/contracts';
import { chargeView } from './domain/provider-plan';
import { currentTerms, type BillableMetric, type ProviderPlan } from './store/provider-plans';
import type { Subscription } from './store/subscriptions';

/** How the provider engine's documents answer (issue 18). */

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null | undefined) => (d ? iso(d) : null);

export function metricView(m: BillableMetric) {
  return {
    id: m._id,
    code: m.code,
    name: m.name,
    aggregation: m.aggregation,
    field: m.field ?? null,
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
  };
}

/** The plan with its current version's terms; `slug`/`title` are DjaoDjin's names of code/name. */
export function providerPlanView(p: ProviderPlan, providerSlug: string) {
  const terms = currentTerms(p);
  return {
    id: p._id,
    provider: providerSlug,
    code: p.code,
    slug: p.code,
    name: p.name,
    title: p.name,
    description: p.description ?? null,
    is_active: p.is_active,
    limits: p.limits ?? {},
    limit_mode: p.limit_mode ?? 'reject',
    version: terms.version,
    currency: terms.currency,
    interval: terms.interval,
    anchor_day: terms.anchor_day,
    trial_days: terms.trial_days,
    charges: terms.charges.map((c) => chargeView(c, terms.currency)),
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  };
}

/** Seed 001's subscription item (as the platform answers it) plus the engine's fields. */
export function providerSubscriptionView(s: Subscription, plan: Pick<ProviderPlan, 'name'> | null) {
  const who = s.subscriber;
  return {
    organization:
      who.kind === 'organization'
        ? { id: who.tenant_id, slug: who.slug, printable_name: who.printable_name }
        : null,
    customer: who.kind === 'customer' ? { id: who.customer_id } : null,
    plan: { id: s.plan_id, slug: s.plan_code, title: plan?.name ?? null },
    provider: s.provider_slug,
    status: s.status,
    created_at: iso(s.created_at),
    ends_at: isoOrNull(s.ends_at),
    id: s._id,
    seats: s.seats,
    plan_version: s.plan_version,
    trial_ends_at: isoOrNull(s.trial_ends_at),
    current_period_start: iso(s.current_period_start),
    current_period_end: iso(s.current_period_end),
    cancel_at_period_end: s.cancel_at_period_end,
    canceled_at: isoOrNull(s.canceled_at),
    credit_balance: s.credit_balance
      ? formatMinor(s.credit_balance.amount_minor, s.credit_balance.currency)
      : null,
    spend_limit: s.spend_limit
      ? formatMinor(s.spend_limit.amount_minor, s.spend_limit.currency)
      : null,
    pending_change: s.pending_change
      ? {
          plan: { id: s.pending_change.plan_id, slug: s.pending_change.plan_code },
          plan_version: s.pending_change.plan_version,
          seats: s.pending_change.seats,
          at: iso(s.current_period_end),
        }
      : null,
  };
}
