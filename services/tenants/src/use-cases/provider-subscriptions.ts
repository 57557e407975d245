import {
  AppError,
  buildEvent,
  type GrantProviderSubscriptionRequest,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { pricingTerms } from '../domain/plan-pricing';
import { clockOf, startInvoice, startingClock } from '../domain/renewals';
import { providerSubscriptionView } from '../provider-views';
import { currentTerms, type ProviderPlan } from '../store/provider-plans';
import {
  CHURNED_STATUSES,
  LIVE_STATUSES,
  liveKey,
  type Subscriber,
  type Subscription,
} from '../store/subscriptions';
import type { Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { spendLimitFor } from './spend-caps';
import { planOf } from './provider-plans';
import { invoiceDueEvent } from './provider-renewals';
import { providerOf } from './providers';

/**
 * Subscriptions to a provider's plans (issue 18): seed 001's grant as written, for any provider.
 * One live subscription per plan and subscriber, decided by the insert (a unique key), so a grant
 * repeated (or sent twice at once) answers the live one again.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function subscriptionEvent(
  type: 'SubscriptionStarted' | 'SubscriptionCanceled',
  s: Subscription,
  correlationId: string,
) {
  const who = s.subscriber;
  return buildEvent(type, {
    tenant_id: s.tenant_id,
    correlation_id: correlationId,
    data: {
      subscription_id: s._id,
      provider_id: s.tenant_id,
      subscriber:
        who.kind === 'organization'
          ? { kind: who.kind, tenant_id: who.tenant_id, slug: who.slug }
          : { kind: who.kind, customer_id: who.customer_id },
      plan_id: s.plan_id,
      plan_code: s.plan_code,
      plan_version: s.plan_version,
      status: s.status,
      seats: s.seats,
      started_at: s.started_at.toISOString(),
      trial_ends_at: iso(s.trial_ends_at),
      current_period_start: s.current_period_start.toISOString(),
      current_period_end: s.current_period_end.toISOString(),
      cancel_at_period_end: s.cancel_at_period_end,
      canceled_at: iso(s.canceled_at),
      ends_at: iso(s.ends_at),
    },
  });
}

/** The organization (by profile slug, in tenants' own collection) or the provider's customer. */
async function subscriberOf(
  deps: TenantsDeps,
  caller: Caller,
  provider: Tenant,
  req: GrantProviderSubscriptionRequest,
): Promise<Subscriber> {
  if (req.customer) {
    const customer = await deps.customers.customer(
      provider._id,
      req.customer.id,
      caller.correlationId,
    );
    if (!customer) throw AppError.notFound('Customer');
    return { kind: 'customer', customer_id: customer.customer_id };
  }
  const org = await deps.tenants.findBySubdomain(req.organization!.slug.toLowerCase());
  if (!org || org.status === 'deleted') throw AppError.notFound('Organization');
  if (org._id === provider._id)
    throw AppError.validation('A provider cannot subscribe to its own plan', [
      { field: 'organization.slug', message: 'is the provider itself' },
    ]);
  return {
    kind: 'organization',
    tenant_id: org._id,
    slug: org.subdomain,
    printable_name: org.company_name,
  };
}

function endsAtOf(req: GrantProviderSubscriptionRequest, start: Date): Date | null {
  if (req.ends_at && req.expires_at && Date.parse(req.ends_at) !== Date.parse(req.expires_at))
    throw AppError.validation('ends_at and expires_at name the same date: send one', [
      { field: 'ends_at', message: 'differs from expires_at' },
    ]);
  const text = req.ends_at ?? req.expires_at;
  if (!text) return null;
  const endsAt = new Date(text);
  if (endsAt <= start)
    throw AppError.validation('A subscription ends after it starts', [
      { field: 'ends_at', message: 'must be after the start' },
    ]);
  return endsAt;
}

/** Seed 001 "Grants a subscription"; `created` is false when a live one is answered again. */
export async function grantProviderSubscription(
  deps: TenantsDeps,
  caller: Caller,
  providerSlug: string,
  planKey: string,
  req: GrantProviderSubscriptionRequest,
): Promise<{ created: boolean; subscription: ReturnType<typeof providerSubscriptionView> }> {
  const provider = await providerOf(deps, caller, providerSlug);
  const plan = await planOf(deps, provider, planKey);
  const subscriber = await subscriberOf(deps, caller, provider, req);
  const key = liveKey(plan._id, subscriber);
  const live = await deps.subscriptions.findLive(provider._id, key);
  if (live) return { created: false, subscription: providerSubscriptionView(live, plan) };
  if (!plan.is_active)
    throw AppError.conflict('invalid_state', 'The plan is not active: it takes no new subscribers');
  const start = req.starts_at ? new Date(req.starts_at) : new Date();
  const endsAt = endsAtOf(req, start);
  // under the plan's lock, so a deletion that saw no live subscription cannot pass this one
  return deps.aggregates.guard(deps.providerPlans.planAggregate, plan._id, async () => {
    const current = await deps.providerPlans.findPlanById(provider._id, plan._id);
    if (!current) throw AppError.notFound('Plan');
    const terms = currentTerms(current);
    const first = startingClock(start, terms, req.trial_days ?? terms.trial_days);
    const spendLimit = await spendLimitFor(deps, provider._id, terms, req.spend_limit);
    const id = newId('sub');
    const doc: Omit<Subscription, 'created_at' | 'updated_at'> = {
      _id: id,
      tenant_id: provider._id,
      provider_slug: provider.subdomain,
      subscriber,
      plan_id: current._id,
      plan_code: current.code,
      plan_version: terms.version,
      status: first.status,
      seats: req.seats ?? 1,
      started_at: start,
      trial_ends_at: first.trialEndsAt,
      current_period_start: first.period.start,
      current_period_end: first.period.end,
      cancel_at_period_end: false,
      canceled_at: null,
      ends_at: endsAt,
      spend_limit: spendLimit ?? null,
      live_key: key,
      created_by: caller.userId,
      updated_by: caller.userId,
    };
    const now = new Date();
    const event = subscriptionEvent(
      'SubscriptionStarted',
      { ...doc, created_at: now, updated_at: now },
      caller.correlationId,
    );
    // the first period's fees, in advance (none in a trial): billing invoices them at once
    const pricing = pricingTerms(terms);
    const started = startInvoice(clockOf(doc), pricing);
    const due = started
      ? invoiceDueEvent(doc, pricing.currency, started, caller.correlationId)
      : [];
    const inserted = await deps.subscriptions.insert(doc, [event, ...due]);
    if (inserted) {
      deps.publishSoon([id]);
      return { created: true, subscription: providerSubscriptionView(inserted, current) };
    }
    const winner = await deps.subscriptions.findLive(provider._id, key);
    if (!winner) throw AppError.conflict('changed', 'The subscription changed meanwhile; retry');
    return { created: false, subscription: providerSubscriptionView(winner, current) };
  });
}

export async function subscriptionOf(
  deps: TenantsDeps,
  provider: Tenant,
  plan: ProviderPlan,
  who: string,
) {
  const sub =
    (await deps.subscriptions.findForSubscriber(provider._id, plan._id, {
      slug: who.toLowerCase(),
    })) ??
    (await deps.subscriptions.findForSubscriber(provider._id, plan._id, { customerId: who }));
  if (!sub) throw AppError.notFound('Subscription');
  return sub;
}

export async function getProviderSubscription(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  planKey: string,
  who: string,
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, planKey);
  return providerSubscriptionView(await subscriptionOf(deps, provider, plan, who), plan);
}

/**
 * Cancels at the period end by default (status stays, `cancel_at_period_end`), or `now` (status
 * `ended`, `ends_at` now, the plan free to be granted again). A repeat changes nothing.
 */
export async function cancelProviderSubscription(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  planKey: string,
  who: string,
  at: 'now' | 'period_end',
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, planKey);
  const sub = await subscriptionOf(deps, provider, plan, who);
  const { after } = await deps.aggregates.change<Subscription>(
    deps.subscriptions.aggregate,
    { id: sub._id, tenantId: provider._id },
    (s) => {
      if (!LIVE_STATUSES.includes(s.status)) return undefined;
      const now = new Date();
      let set: Partial<Subscription>;
      if (at === 'now') {
        set = {
          status: 'ended',
          ends_at: now,
          canceled_at: s.canceled_at ?? now,
          cancel_at_period_end: false,
          live_key: `ended:${s._id}`,
        };
      } else {
        if (s.cancel_at_period_end) return undefined;
        const periodEnd = new Date(s.current_period_end);
        const endsAt =
          s.ends_at && new Date(s.ends_at) < periodEnd ? new Date(s.ends_at) : periodEnd;
        set = { cancel_at_period_end: true, canceled_at: now, ends_at: endsAt };
      }
      const next = { ...s, ...set, updated_by: caller.userId };
      return {
        set: { ...set, updated_by: caller.userId },
        events: [subscriptionEvent('SubscriptionCanceled', next, caller.correlationId)],
      };
    },
  );
  return providerSubscriptionView(after, plan);
}

export async function listPlanSubscriptions(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  planKey: string,
  q: ListQuery,
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, planKey);
  const { results, count } = await deps.subscriptions.list(
    provider._id,
    { planId: plan._id, search: q },
    q.page,
    q.perPage,
  );
  return { results: results.map((s) => providerSubscriptionView(s, plan)), count };
}

export const SUBSCRIBER_STATES = {
  all: undefined,
  active: LIVE_STATUSES,
  churned: CHURNED_STATUSES,
} as const;

/** Seed 001's provider lists: every subscription of the provider, the live or the churned ones. */
export async function listProviderSubscribers(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  state: keyof typeof SUBSCRIBER_STATES,
  q: ListQuery,
) {
  const provider = await providerOf(deps, caller, slug);
  const statuses = SUBSCRIBER_STATES[state];
  const { results, count } = await deps.subscriptions.list(
    provider._id,
    { statuses: statuses && [...statuses], search: q },
    q.page,
    q.perPage,
  );
  const plans = new Map<string, ProviderPlan | null>();
  for (const s of results)
    if (!plans.has(s.plan_id))
      plans.set(s.plan_id, await deps.providerPlans.findPlanById(provider._id, s.plan_id));
  return {
    results: results.map((s) => providerSubscriptionView(s, plans.get(s.plan_id) ?? null)),
    count,
  };
}
