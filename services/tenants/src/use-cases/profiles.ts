import {
  AppError,
  PLATFORM_TENANT_ID,
  type GrantProviderSubscriptionRequest,
} from '@ledgerline/contracts';
import type { SearchQuery } from '@ledgerline/platform';
import { planSlug } from '../domain/platform-plan';
import type { Plan } from '../store/plans';
import { SUBSCRIBER_SEARCH, type Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { updateSubscription } from './tenants';
import { providerSubscriptionView } from '../provider-views';

/**
 * Seed 001's provider/subscriber view of the platform's subscriptions: the provider "platform",
 * its plans the SaaS plans (seed 003), each tenant a subscriber organization named by its
 * subdomain, its subscription on its tenant document. Every other provider is served by the
 * provider engine (provider-subscriptions.ts); the platform moves onto it in a later part.
 */
export const PLATFORM_PROVIDER = 'platform';

export const isPlatformProvider = (slug: string) => slug.toLowerCase() === PLATFORM_PROVIDER;

/**
 * The platform as a provider read through the engine's routes: its administrators only; to
 * anyone else it does not exist (404), as another tenant's provider.
 */
export function assertPlatformProviderReader(caller: Caller): void {
  if (!caller.platformAdmin || caller.tenantId !== PLATFORM_TENANT_ID)
    throw AppError.notFound('Provider');
}

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

/** The platform's subscriptions are its administrators' (seed 003's powers). */
function assertPlatformAdmin(caller: Caller): void {
  if (!caller.platformAdmin) throw AppError.forbidden('Platform administrators only');
}

/** A platform plan by id, name slug or code (store/plans.ts); 404 when none. */
async function platformPlan(deps: TenantsDeps, planKey: string): Promise<Plan> {
  const plan = await deps.plans.findByIdOrSlug(planKey);
  if (!plan) throw AppError.notFound('Plan');
  return plan;
}

/** The organization that may subscribe to the platform under this slug: a live tenant, not the platform. */
async function platformSubscriber(deps: TenantsDeps, slug: string): Promise<Tenant | null> {
  const tenant = await deps.tenants.findBySubdomain(slug.toLowerCase());
  return tenant && tenant.status !== 'deleted' && tenant._id !== PLATFORM_TENANT_ID ? tenant : null;
}

/** Seed 001 "Grants a subscription" of a platform plan to the organization. */
export async function grantPlatformSubscription(
  deps: TenantsDeps,
  caller: Caller,
  planKey: string,
  req: GrantProviderSubscriptionRequest,
) {
  assertPlatformAdmin(caller);
  if (!req.organization)
    throw AppError.validation('The platform subscribes organizations only', [
      { field: 'organization', message: 'is required for the provider "platform"' },
    ]);
  const plan = await platformPlan(deps, planKey);
  const subscriber = await platformSubscriber(deps, req.organization.slug);
  if (!subscriber) throw AppError.notFound('Organization');
  const { tenant } = await updateSubscription(deps, caller, subscriber._id, {
    plan_id: plan._id,
    expires_at: req.expires_at ?? req.ends_at,
  });
  return profileSubscriptionView(tenant, plan);
}

/**
 * A subscriber's subscriptions: to the platform (its tenant document, as seed 003 keeps it) and
 * to every other provider. The organization's members and platform admins may look.
 */
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
  const others = await deps.subscriptions.ofOrganization(tenant._id);
  const views = [];
  for (const s of others)
    views.push(
      providerSubscriptionView(s, await deps.providerPlans.findPlanById(s.tenant_id, s.plan_id)),
    );
  return [profileSubscriptionView(tenant, plan), ...views];
}

const STATES = {
  all: ['active', 'trial', 'inactive', 'suspended'],
  active: ['active', 'trial'],
  churned: ['inactive', 'suspended'],
} as const;

/** The platform's subscribers: all, the active ones, or the churned ones (ended or suspended). */
export async function platformSubscribers(
  deps: TenantsDeps,
  caller: Caller,
  state: keyof typeof STATES,
  page: number,
  perPage: number,
  search?: SearchQuery,
) {
  assertPlatformAdmin(caller);
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

/**
 * The engine's reads of a plan's subscriptions, for the provider "platform": its subscribers are
 * the tenants on the plan (their tenant documents). Platform admins only; to anyone else the
 * platform is no provider (404), as for its plans.
 */
async function platformPlanOf(deps: TenantsDeps, caller: Caller, planKey: string) {
  assertPlatformProviderReader(caller);
  return platformPlan(deps, planKey);
}

export async function platformPlanSubscriptions(
  deps: TenantsDeps,
  caller: Caller,
  planKey: string,
  page: number,
  perPage: number,
  search?: SearchQuery,
) {
  const plan = await platformPlanOf(deps, caller, planKey);
  const { results, count } = await deps.tenants.listByStatuses(
    [...STATES.all],
    page,
    perPage,
    [PLATFORM_TENANT_ID],
    search && { query: search, fields: SUBSCRIBER_SEARCH },
    plan._id,
  );
  return { results: results.map((t) => profileSubscriptionView(t, plan)), count };
}

/** One tenant's subscription to the platform's plan, by its slug; 404 when it is on another. */
export async function platformPlanSubscription(
  deps: TenantsDeps,
  caller: Caller,
  planKey: string,
  subscriberSlug: string,
) {
  const plan = await platformPlanOf(deps, caller, planKey);
  const tenant = await platformSubscriber(deps, subscriberSlug);
  if (!tenant || tenant.plan_id !== plan._id) throw AppError.notFound('Subscription');
  return profileSubscriptionView(tenant, plan);
}
