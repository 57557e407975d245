import { AppError, type ChangeSubscriptionRequest } from '@ledgerline/contracts';
import { isDuplicateKeyError } from '@ledgerline/platform';
import { pricingTerms } from '../domain/plan-pricing';
import { planChange } from '../domain/plan-changes';
import { clockOf } from '../domain/renewals';
import { providerSubscriptionView } from '../provider-views';
import type { PlanVersion, ProviderPlan } from '../store/provider-plans';
import { currentTerms } from '../store/provider-plans';
import { LIVE_STATUSES, liveKey, type SpendLimit, type Subscription } from '../store/subscriptions';
import type { Caller, TenantsDeps } from './deps';
import { planOf } from './provider-plans';
import { planVersionOf } from './plan-versions';
import { invoiceDueEvent, useCredit } from './provider-renewals';
import { subscriptionOf } from './provider-subscriptions';
import { providerOf } from './providers';
import { spendLimitFor } from './spend-caps';

/**
 * Upgrades, downgrades and seat changes of a provider's subscription (issue 18): decided on the
 * subscription as it is, under its aggregate, with the proration's `SubscriptionInvoiceDue` in the
 * same write (domain/plan-changes.ts says what is owed when).
 */
export async function changeProviderSubscription(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  planKey: string,
  who: string,
  req: ChangeSubscriptionRequest,
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, planKey);
  const sub = await subscriptionOf(deps, provider, plan, who);
  if (req.plan === undefined && req.seats === undefined)
    return changeSpendLimit(deps, caller, provider._id, plan, sub, req.spend_limit);
  const target = req.plan ? await planOf(deps, provider, req.plan) : plan;
  const moving = target._id !== sub.plan_id;
  if (moving && !target.is_active)
    throw AppError.conflict('invalid_state', 'The plan is not active: it takes no new subscribers');
  // a new plan at its current version; the same plan keeps the version subscribed to
  const toVersion: PlanVersion | undefined = moving
    ? currentTerms(target)
    : target.versions.find((v) => v.version === sub.plan_version);
  const fromVersion = await planVersionOf(deps, provider._id, sub.plan_id, sub.plan_version);
  if (!toVersion || !fromVersion) throw AppError.notFound('Plan');
  const spendLimit = await spendLimitFor(deps, provider._id, toVersion, req.spend_limit);
  if (
    spendLimit === undefined &&
    sub.spend_limit &&
    sub.spend_limit.currency !== toVersion.currency
  )
    throw AppError.validation('The spend limit is in another currency than the new plan', [
      { field: 'spend_limit', message: `send one in ${toVersion.currency}, or null` },
    ]);

  const write = () =>
    deps.aggregates.change<Subscription>(
      deps.subscriptions.aggregate,
      { id: sub._id, tenantId: provider._id },
      (s) => decide(s, target, fromVersion, toVersion, req, caller, spendLimit),
    );
  try {
    const { after } = await write();
    return providerSubscriptionView(after, target);
  } catch (err) {
    if (isDuplicateKeyError(err))
      throw AppError.conflict('duplicate', 'The subscriber already has that plan live');
    throw err;
  }
}

function decide(
  s: Subscription,
  target: ProviderPlan,
  fromVersion: PlanVersion,
  toVersion: PlanVersion,
  req: ChangeSubscriptionRequest,
  caller: Caller,
  spendLimit: SpendLimit | null | undefined,
) {
  if (!LIVE_STATUSES.includes(s.status) || s.cancel_at_period_end)
    throw AppError.conflict('invalid_state', 'Only a live subscription that is not ending changes');
  const seats = req.seats ?? s.seats;
  const from = pricingTerms(fromVersion);
  const at = new Date();
  const change = planChange({
    clock: clockOf(s),
    from,
    to: pricingTerms(toVersion),
    toSeats: seats,
    at,
    asked: req.at,
  });
  const terms = {
    plan_id: target._id,
    plan_code: target.code,
    plan_version: toVersion.version,
    seats,
  };
  const spend = spendLimit === undefined ? {} : { spend_limit: spendLimit };
  if (change.when === 'period_end')
    return { set: { pending_change: terms, ...spend, updated_by: caller.userId }, events: [] };
  const next = { ...s, ...terms, live_key: liveKey(target._id, s.subscriber) };
  const due = {
    reason: 'changed' as const,
    due_at: at,
    invoice_key: `${at.toISOString()}:changed`,
    lines: change.lines,
  };
  // a downgrade at once: the unused days' credit joins the balance the next invoices use up
  const owed = change.credit_minor ?? 0;
  const credit = owed > 0 ? owedCredit(s, owed, from.currency) : useCredit(s, change.lines);
  return {
    set: {
      ...terms,
      live_key: next.live_key,
      pending_change: null,
      ...spend,
      ...credit.set,
      updated_by: caller.userId,
    },
    events: invoiceDueEvent(next, from.currency, due, caller.correlationId, credit.applied),
  };
}

/** A change of the spend limit alone: on the subscription's own plan version, nothing invoiced. */
async function changeSpendLimit(
  deps: TenantsDeps,
  caller: Caller,
  providerId: string,
  plan: ProviderPlan,
  sub: Subscription,
  asked: string | number | null | undefined,
) {
  const version = await planVersionOf(deps, providerId, sub.plan_id, sub.plan_version);
  if (!version) throw AppError.notFound('Plan');
  const spendLimit = await spendLimitFor(deps, providerId, version, asked);
  const { after } = await deps.aggregates.change<Subscription>(
    deps.subscriptions.aggregate,
    { id: sub._id, tenantId: providerId },
    (s) => {
      if (!LIVE_STATUSES.includes(s.status))
        throw AppError.conflict('invalid_state', 'Only a live subscription changes');
      return { set: { spend_limit: spendLimit ?? null, updated_by: caller.userId } };
    },
  );
  return providerSubscriptionView(after, plan);
}

function owedCredit(s: Subscription, owedMinor: number, currency: string) {
  const before = s.credit_balance?.amount_minor ?? 0;
  return { applied: 0, set: { credit_balance: { amount_minor: before + owedMinor, currency } } };
}
