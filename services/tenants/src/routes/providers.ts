import { Router } from 'express';
import { toListQuery, PROVIDER_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { changeProviderSubscription } from '../use-cases/subscription-changes';
import type { TenantsDeps } from '../use-cases/deps';
import {
  createProviderPlan,
  deleteProviderPlan,
  getProviderPlan,
  listProviderPlans,
  updateProviderPlan,
} from '../use-cases/provider-plans';
import {
  cancelProviderSubscription,
  getProviderSubscription,
  listPlanSubscriptions,
} from '../use-cases/provider-subscriptions';
import {
  isPlatformProvider,
  platformPlanSubscription,
  platformPlanSubscriptions,
} from '../use-cases/profiles';
import { getRenewalRun, listRenewalRuns, startRenewalRun } from '../use-cases/renewal-runs';
import {
  createMetric,
  deleteMetric,
  getMetric,
  listMetrics,
  updateMetric,
} from '../use-cases/providers';

/** Every tenant a provider (issue 18): its billable metrics, plans and their subscriptions. */
export function providerRoutes(deps: TenantsDeps): Router {
  const router = Router();

  bindRoute(router, R.listMetrics, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listMetrics(deps, caller, params.provider, q);
    return { data: { results, count, page: q.page, per_page: q.perPage } };
  });
  bindRoute(router, R.createMetric, async ({ caller, params, body }) => ({
    data: await createMetric(deps, caller, params.provider, body),
    message: 'Billable metric created',
  }));
  bindRoute(router, R.getMetric, async ({ caller, params }) => ({
    data: await getMetric(deps, caller, params.provider, params.code),
  }));
  for (const spec of [R.replaceMetric, R.updateMetric])
    bindRoute(router, spec, async ({ caller, params, body }) => ({
      data: await updateMetric(deps, caller, params.provider, params.code, body),
      message: 'Billable metric updated',
    }));
  bindRoute(router, R.deleteMetric, async ({ caller, params }) => {
    await deleteMetric(deps, caller, params.provider, params.code);
    return { data: { deleted: true }, message: 'Billable metric deleted' };
  });

  bindRoute(router, R.listPlans, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listProviderPlans(
      deps,
      caller,
      params.provider,
      q,
      query.is_active === undefined ? undefined : ['true', '1', 'True'].includes(query.is_active),
    );
    return { data: { results, count, page: q.page, per_page: q.perPage } };
  });
  bindRoute(router, R.createPlan, async ({ caller, params, body }) => ({
    data: await createProviderPlan(deps, caller, params.provider, body),
    message: 'Plan created',
  }));
  bindRoute(router, R.getPlan, async ({ caller, params }) => ({
    data: await getProviderPlan(deps, caller, params.provider, params.plan),
  }));
  for (const spec of [R.replacePlan, R.updatePlan])
    bindRoute(router, spec, async ({ caller, params, body }) => ({
      data: await updateProviderPlan(deps, caller, params.provider, params.plan, body),
      message: 'Plan updated',
    }));
  bindRoute(router, R.deletePlan, async ({ caller, params }) => {
    await deleteProviderPlan(deps, caller, params.provider, params.plan);
    return { data: { deleted: true }, message: 'Plan deleted' };
  });

  // the platform's subscribers are tenants (its plans' subscriptions are their tenant documents)
  bindRoute(router, R.listPlanSubscriptions, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    const { results, count } = isPlatformProvider(params.provider)
      ? await platformPlanSubscriptions(deps, caller, params.plan, q.page, q.perPage, q)
      : await listPlanSubscriptions(deps, caller, params.provider, params.plan, q);
    return { data: { results, count, page: q.page, per_page: q.perPage } };
  });
  bindRoute(router, R.getSubscription, async ({ caller, params }) => ({
    data: isPlatformProvider(params.provider)
      ? await platformPlanSubscription(deps, caller, params.plan, params.subscriber)
      : await getProviderSubscription(
          deps,
          caller,
          params.provider,
          params.plan,
          params.subscriber,
        ),
  }));
  bindRoute(router, R.changeSubscription, async ({ caller, params, body }) => ({
    data: await changeProviderSubscription(
      deps,
      caller,
      params.provider,
      params.plan,
      params.subscriber,
      body,
    ),
    message: 'Subscription changed',
  }));

  bindRoute(router, R.cancelSubscription, async ({ caller, params, query }) => ({
    data: await cancelProviderSubscription(
      deps,
      caller,
      params.provider,
      params.plan,
      params.subscriber,
      query.at ?? 'period_end',
    ),
    message: 'Subscription canceled',
  }));

  bindRoute(router, R.startRenewalRun, async ({ caller, params }) => ({
    data: await startRenewalRun(deps, caller, params.provider),
    message: 'Renewal run queued',
  }));
  bindRoute(router, R.listRenewalRuns, async ({ caller, params, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listRenewalRuns(deps, caller, params.provider, q);
    return { data: { results, count, page: q.page, per_page: q.perPage } };
  });
  bindRoute(router, R.getRenewalRun, async ({ caller, params }) => ({
    data: await getRenewalRun(deps, caller, params.provider, params.id),
  }));

  return router;
}
