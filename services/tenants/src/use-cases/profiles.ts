import { AppError, PLATFORM_TENANT_ID, type GrantSubscriptionRequest } from '@ledgerline/contracts';
import type { SearchQuery } from '@ledgerline/platform';
import { planSlug, type Plan } from '../store/plans';
import { SUBSCRIBER_SEARCH, type Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { updateSubscription } from './tenants';

/**
 * Seed 001's provider/subscriber view of subscriptions, mapped onto Ledgerline: the provider
 * is the platform (its profile slug is "platform"), its plans are the SaaS plans, and each
 * tenant is a subscriber organization named by its subdomain.
 */
export const PLATFORM_PROVIDER = 'platform';

export function profileSubscriptionView(t: Tenant, plan: Plan | null) {
  return {
    organization: { id: t._id, slug: t.subdomain, printable_name: t.company_name },
    plan: {
      id: plan?._id ?? null,
      slug: plan ? planSlug(plan.name) : null,
      title: plan?.name ?? null,
    },
    provider: PLATFORM_PROVIDER,
    status: t.status as 'active' | 'inactive' | 'trial' | 'suspended',
    created_at: new Date(t.started_at).toISOString(),
    ends_at: t.expires_at ? new Date(t.expires_at).toISOString() : null,
  };
}

function assertProvider(provider: string): void {
  if (provider !== PLATFORM_PROVIDER) throw AppError.notFound('Provider');
}

/** Seed 001 "Grants a subscription": subscribes the organization to the provider's plan. */
export async function grantSubscription(
  deps: TenantsDeps,
  caller: Caller,
  provider: string,
  planKey: string,
  req: GrantSubscriptionRequest,
) {
  assertProvider(provider);
  const plan = await deps.plans.findByIdOrSlug(planKey);
  if (!plan) throw AppError.notFound('Plan');
  const subscriber = await deps.tenants.findBySubdomain(req.organization.slug.toLowerCase());
  if (!subscriber || subscriber.status === 'deleted' || subscriber._id === PLATFORM_TENANT_ID)
    throw AppError.notFound('Organization');
  const { tenant } = await updateSubscription(deps, caller, subscriber._id, {
    plan_id: plan._id,
    expires_at: req.expires_at,
  });
  return profileSubscriptionView(tenant, plan);
}

/** A subscriber's subscriptions: the organization's members and platform admins may look. */
export async function subscriberSubscriptions(
  deps: TenantsDeps,
  caller: Caller,
  subscriberSlug: string,
) {
  const tenant = await deps.tenants.findBySubdomain(subscriberSlug.toLowerCase());
  if (
    !tenant ||
    tenant.status === 'deleted' ||
    (!caller.platformAdmin && caller.tenantId !== tenant._id)
  ) {
    throw AppError.notFound('Organization');
  }
  const plan = tenant.plan_id ? await deps.plans.findById(tenant.plan_id) : null;
  return [profileSubscriptionView(tenant, plan)];
}

const STATES = {
  all: ['active', 'trial', 'inactive', 'suspended'],
  active: ['active', 'trial'],
  churned: ['inactive', 'suspended'],
} as const;

/** The provider's subscribers: all, the active ones, or the churned ones (ended or suspended). */
export async function providerSubscriptions(
  deps: TenantsDeps,
  provider: string,
  state: keyof typeof STATES,
  page: number,
  perPage: number,
  search?: SearchQuery,
) {
  assertProvider(provider);
  const { results, count } = await deps.tenants.listByStatuses(
    [...STATES[state]],
    page,
    perPage,
    [PLATFORM_TENANT_ID],
    search && { query: search, fields: SUBSCRIBER_SEARCH },
  );
  const plans = new Map<string, Plan | null>();
  for (const t of results)
    if (t.plan_id && !plans.has(t.plan_id))
      plans.set(t.plan_id, await deps.plans.findById(t.plan_id));
  return {
    results: results.map((t) =>
      profileSubscriptionView(t, t.plan_id ? (plans.get(t.plan_id) ?? null) : null),
    ),
    count,
  };
}
