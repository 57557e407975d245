import {
  AppError,
  PLATFORM_TENANT_ID,
  type BillableMetricRequest,
  type BillableMetricUpdate,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { metricView } from '../provider-views';
import type { BillableMetric } from '../store/provider-plans';
import type { Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { assertPlatformProviderReader, isPlatformProvider, PLATFORM_PROVIDER } from './profiles';

/**
 * Every tenant a provider (issue 18): `{provider}` is the tenant's profile slug. Only the
 * provider's own members reach it (the route checked their permission); to anyone else it does not
 * exist (404), as every other tenant's object. The platform's plans are engine plans too, but they
 * are written through seed 003 (/api/saas/plans) and its subscribers are tenants, so "platform"
 * is only read here (platformOrProviderOf).
 */
export async function providerOf(deps: TenantsDeps, caller: Caller, slug: string): Promise<Tenant> {
  const tenant = isPlatformProvider(slug)
    ? null
    : await deps.tenants.findBySubdomain(slug.toLowerCase());
  if (!tenant || tenant.status === 'deleted' || tenant._id !== caller.tenantId)
    throw AppError.notFound('Provider');
  return tenant;
}

/**
 * For reads of plans: the platform's administrators read the platform's plans as any provider's
 * (`{provider}` = "platform"); everyone else as providerOf.
 */
export async function platformOrProviderOf(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
): Promise<{ _id: string; subdomain: string }> {
  if (isPlatformProvider(slug)) {
    assertPlatformProviderReader(caller);
    return { _id: PLATFORM_TENANT_ID, subdomain: PLATFORM_PROVIDER };
  }
  return providerOf(deps, caller, slug);
}

function fieldRule(aggregation: BillableMetric['aggregation'], field: string | null): void {
  if (aggregation !== 'count' && !field)
    throw AppError.validation(`A ${aggregation} metric needs the event property it reads`, [
      { field: 'field', message: `is required for the ${aggregation} aggregation` },
    ]);
}

export async function createMetric(
  deps: TenantsDeps,
  caller: Caller,
  providerSlug: string,
  req: BillableMetricRequest,
) {
  const provider = await providerOf(deps, caller, providerSlug);
  const field = req.field ?? null;
  fieldRule(req.aggregation, field);
  const created = await deps.providerPlans.insertMetric({
    _id: newId('bm'),
    tenant_id: provider._id,
    code: req.code,
    name: req.name,
    aggregation: req.aggregation,
    field,
    created_by: caller.userId,
    updated_by: caller.userId,
  });
  if (!created)
    throw AppError.conflict('duplicate', `The provider has a billable metric "${req.code}"`, [
      { field: 'code', message: 'is taken' },
    ]);
  return metricView(created);
}

async function metricOf(deps: TenantsDeps, provider: Tenant, code: string) {
  const metric = await deps.providerPlans.findMetric(provider._id, code);
  if (!metric) throw AppError.notFound('Billable metric');
  return metric;
}

export async function getMetric(deps: TenantsDeps, caller: Caller, slug: string, code: string) {
  const provider = await providerOf(deps, caller, slug);
  return metricView(await metricOf(deps, provider, code));
}

export async function listMetrics(deps: TenantsDeps, caller: Caller, slug: string, q: ListQuery) {
  const provider = await providerOf(deps, caller, slug);
  const { results, count } = await deps.providerPlans.listMetrics(
    provider._id,
    q.page,
    q.perPage,
    q,
  );
  return { results: results.map(metricView), count };
}

export async function updateMetric(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  code: string,
  req: BillableMetricUpdate,
) {
  const provider = await providerOf(deps, caller, slug);
  const metric = await metricOf(deps, provider, code);
  const { after } = await deps.aggregates.change<BillableMetric>(
    deps.providerPlans.metricAggregate,
    { id: metric._id, tenantId: provider._id },
    (current) => {
      const aggregation = req.aggregation ?? current.aggregation;
      const field = req.field !== undefined ? req.field : current.field;
      fieldRule(aggregation, field);
      return {
        set: {
          ...(req.name !== undefined && { name: req.name }),
          aggregation,
          field,
          updated_by: caller.userId,
        },
      };
    },
  );
  return metricView({ ...after, updated_at: new Date() });
}

/** A metric a plan's current version charges stays (409); older versions keep their copy. */
export async function deleteMetric(deps: TenantsDeps, caller: Caller, slug: string, code: string) {
  const provider = await providerOf(deps, caller, slug);
  const metric = await metricOf(deps, provider, code);
  await deps.aggregates.remove<BillableMetric>(
    deps.providerPlans.metricAggregate,
    { id: metric._id, tenantId: provider._id },
    async () => {
      const using = await deps.providerPlans.plansUsingMetric(provider._id, code);
      if (using.length > 0)
        throw AppError.conflict(
          'in_use',
          `Plans charge this metric: ${using.map((p) => p.code).join(', ')}`,
        );
    },
  );
}
