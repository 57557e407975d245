import { AppError, type ListQuery, type ProviderPlanRequest } from '@ledgerline/contracts';
import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import {
  metricsOf,
  planFromRequest,
  type PlanHeader,
  type PlanTerms,
} from '../domain/provider-plan';
import { enforceable } from '../domain/usage-limits';
import { providerPlanView } from '../provider-views';
import {
  currentTerms,
  versionAfter,
  type PlanVersion,
  type ProviderPlan,
} from '../store/provider-plans';
import type { Tenant } from '../store/tenants';
import type { Caller, TenantsDeps } from './deps';
import { platformOrProviderOf, providerOf } from './providers';

/**
 * A provider's plans (issue 18). The terms a subscription is billed by (currency, interval,
 * anchor day, trial days, charges) are versioned: a change appends a version in the same
 * single-document update, and subscriptions keep the version they started on.
 */

const codeTaken = (code: string) =>
  AppError.conflict('duplicate', `The provider has a plan "${code}"`, [
    { field: 'code', message: 'is taken' },
  ]);

/**
 * A limit on a metric the plan charges is enforced at ingestion, which cannot cap a unique count
 * (domain/usage-limits.ts): such a limit is refused rather than accepted and ignored.
 */
async function refuseUnenforceableLimits(
  deps: TenantsDeps,
  providerId: string,
  header: PlanHeader,
  terms: PlanTerms,
): Promise<void> {
  const charged = metricsOf(terms).filter((m) => header.limits[m] !== undefined);
  const metrics = await deps.providerPlans.metricsByCode(providerId, charged);
  const details = metrics
    .filter((m) => !enforceable(m.aggregation))
    .map((m) => ({
      field: `limits.${m.code}`,
      message: `${m.code} is a unique_count metric: its limit cannot be enforced when usage is reported`,
    }));
  if (details.length > 0) throw AppError.validation('A limit cannot be enforced', details);
}

export async function planOf(deps: TenantsDeps, provider: Pick<Tenant, '_id'>, key: string) {
  const plan = await deps.providerPlans.findPlan(provider._id, key);
  if (!plan) throw AppError.notFound('Plan');
  return plan;
}

export async function createProviderPlan(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  req: ProviderPlanRequest,
) {
  const provider = await providerOf(deps, caller, slug);
  const metrics = await deps.providerPlans.metricCodes(provider._id);
  const { header, terms } = planFromRequest(req, null, metrics);
  await refuseUnenforceableLimits(deps, provider._id, header, terms);
  const created = await deps.providerPlans.insertPlan({
    _id: newId('ppl'),
    tenant_id: provider._id,
    ...header,
    versions: [{ version: 1, ...terms, created_at: new Date() }],
    current_version: 1,
    created_by: caller.userId,
    updated_by: caller.userId,
  });
  if (!created) throw codeTaken(header.code);
  return providerPlanView(created, provider.subdomain);
}

export async function getProviderPlan(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  key: string,
) {
  const provider = await platformOrProviderOf(deps, caller, slug);
  return providerPlanView(await planOf(deps, provider, key), provider.subdomain);
}

export async function listProviderPlans(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  q: ListQuery,
  isActive?: boolean,
) {
  const provider = await platformOrProviderOf(deps, caller, slug);
  const { results, count } = await deps.providerPlans.listPlans(provider._id, q.page, q.perPage, {
    is_active: isActive,
    search: q,
  });
  return { results: results.map((p) => providerPlanView(p, provider.subdomain)), count };
}

/** PUT and PATCH: any subset; new terms append a version, the header changes in place. */
export async function updateProviderPlan(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  key: string,
  req: ProviderPlanRequest,
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, key);
  const metrics = await deps.providerPlans.metricCodes(provider._id);
  let appended: PlanVersion | null = null;
  const { after } = await deps.aggregates
    .change<ProviderPlan>(
      deps.providerPlans.planAggregate,
      { id: plan._id, tenantId: provider._id },
      async (current) => {
        const terms = currentTerms(current);
        const next = planFromRequest(req, { header: current, terms }, metrics);
        await refuseUnenforceableLimits(deps, provider._id, next.header, next.terms);
        if (
          next.header.code !== current.code &&
          (await deps.providerPlans.codeTaken(provider._id, next.header.code, current._id))
        )
          throw codeTaken(next.header.code);
        appended = versionAfter(current, next.terms);
        return {
          set: {
            ...next.header,
            ...(appended && { current_version: appended.version }),
            updated_by: caller.userId,
          },
          ...(appended && { push: { versions: appended } }),
        };
      },
    )
    // a rename racing another plan's creation or rename to the same code: the unique index decides
    .catch((err: unknown) => {
      if (isDuplicateKeyError(err)) throw codeTaken(req.code ?? req.slug ?? '');
      throw err;
    });
  // `after` does not reflect the pushed version: add it for the answer
  const versions = appended ? [...after.versions, appended] : after.versions;
  return providerPlanView({ ...after, versions, updated_at: new Date() }, provider.subdomain);
}

/**
 * A plan with live (trial or active) subscriptions stays (409: deactivate it with
 * `is_active: false`, which stops new grants); an unused plan is deleted.
 */
export async function deleteProviderPlan(
  deps: TenantsDeps,
  caller: Caller,
  slug: string,
  key: string,
) {
  const provider = await providerOf(deps, caller, slug);
  const plan = await planOf(deps, provider, key);
  await deps.aggregates.remove<ProviderPlan>(
    deps.providerPlans.planAggregate,
    { id: plan._id, tenantId: provider._id },
    async () => {
      if ((await deps.subscriptions.countLive(provider._id, plan._id)) > 0)
        throw AppError.conflict(
          'in_use',
          'The plan has live subscriptions: deactivate it (is_active: false) instead',
        );
    },
  );
}
