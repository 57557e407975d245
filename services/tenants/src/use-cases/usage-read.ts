import { AppError, formatMinor } from '@ledgerline/contracts';
import {
  formatQuantity,
  invoiceTotal,
  usageQuantity,
  type Metric,
  type UsageState,
} from '../domain/pricing';
import { metricsOf, type PlanTerms } from '../domain/provider-plan';
import { pricingTerms } from '../domain/plan-pricing';
import { clockOf, renewalAt } from '../domain/renewals';
import { currentPeriod, emptyTotals, storedValueMetric, totalsId } from '../domain/usage-batches';
import type { Subscription } from '../store/subscriptions';
import type { Caller, TenantsDeps } from './deps';
import { planVersionOf } from './plan-versions';
import { limitsView } from './usage-limits';

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * A subscription's usage in one period, per metric its plan version charges: the pre-aggregates'
 * states, each with the metric as its events were read (a pre-aggregate keeps the aggregation it
 * was folded with), and a row per metric for the API. Also what a renewal prices.
 */
export async function periodUsage(
  deps: Pick<TenantsDeps, 'meteredUsage' | 'providerPlans'>,
  sub: Pick<Subscription, '_id' | 'tenant_id'>,
  version: PlanTerms,
  periodStart: Date,
) {
  const codes = [...new Set(metricsOf(version))];
  const totals = await deps.meteredUsage.findTotals(
    codes.map((c) => totalsId(sub._id, c, iso(periodStart))),
  );
  // a metric without events yet this period: its aggregation from the provider's metric
  const missing = codes.filter((_, i) => !totals[i]);
  const stored =
    missing.length > 0 ? await deps.providerPlans.metricsByCode(sub.tenant_id, missing) : [];
  const metrics: Record<string, Metric> = {};
  const states: Record<string, UsageState> = {};
  const usage = codes.map((code, i) => {
    const t = totals[i];
    const aggregation =
      t?.aggregation ?? stored.find((m) => m.code === code)?.aggregation ?? 'count';
    const metric = storedValueMetric(code, aggregation);
    const state = t?.state ?? emptyTotals(aggregation).state;
    metrics[code] = metric;
    states[code] = state;
    return {
      metric: code,
      aggregation,
      quantity: formatQuantity(usageQuantity(metric, state)),
      events: t?.events ?? 0,
    };
  });
  return { metrics, states, usage };
}

/**
 * GET /api/usage/subscriptions/{id}: the current period's usage per metric the plan version
 * charges, and the invoice its end would issue with that usage (renewalAt, the renewal's own
 * arithmetic, at the period's end). The provider's members and the subscriber organization's
 * members may read it; for anyone else the subscription does not exist (404).
 */
export async function subscriptionUsage(
  deps: TenantsDeps,
  caller: Caller,
  id: string,
  now = new Date(),
) {
  const sub = await deps.subscriptions.findById(id);
  const mine =
    sub !== null &&
    (sub.tenant_id === caller.tenantId ||
      (sub.subscriber.kind === 'organization' && sub.subscriber.tenant_id === caller.tenantId));
  if (!sub || !mine) throw AppError.notFound('Subscription');
  const version = await planVersionOf(deps, sub.tenant_id, sub.plan_id, sub.plan_version);
  if (!version) throw AppError.notFound('Subscription');
  const clock = clockOf(sub);
  // the period running now, by the same arithmetic ingestion used (the stored clock may lag the sweep)
  const period = currentPeriod(clock, version, now) ?? {
    start: clock.current_period_start,
    end: clock.current_period_end,
  };
  const { metrics, states, usage } = await periodUsage(deps, sub, version, period.start);
  const { limits, spend } = await limitsView(deps, sub, period.start, usage, version);
  const terms = pricingTerms(version);
  const renewal = renewalAt(
    { ...clock, current_period_start: period.start, current_period_end: period.end },
    terms,
    metrics,
    states,
    period.end,
  )!;
  const lines = renewal.invoice.lines.map((l) => ({
    charge_code: l.charge_code,
    description: l.description,
    kind: l.kind,
    period_start: iso(l.period.start),
    period_end: iso(l.period.end),
    quantity: l.quantity,
    ...(l.unit_amount !== undefined && { unit_amount: l.unit_amount }),
    amount: formatMinor(l.amount_minor, terms.currency),
  }));
  return {
    subscription_id: sub._id,
    status: sub.status,
    plan: { id: sub.plan_id, code: sub.plan_code, version: version.version },
    currency: terms.currency,
    period: { start: iso(period.start), end: iso(period.end) },
    usage,
    limits,
    spend,
    upcoming_invoice: {
      lines,
      total: formatMinor(invoiceTotal(renewal.invoice.lines), terms.currency),
      currency: terms.currency,
    },
  };
}
