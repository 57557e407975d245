import { Router } from 'express';
import { toListQuery, TENANT_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import {
  grantSubscription,
  providerSubscriptions,
  subscriberSubscriptions,
} from '../use-cases/profiles';

/** Seed 001 subscriptions: /api/profile/{provider|subscriber}/... */
export function profileRoutes(deps: TenantsDeps): Router {
  const router = Router();

  bindRoute(router, R.grantSubscription, async ({ caller, params, body }) => ({
    data: await grantSubscription(deps, caller, params.provider, params.plan, body),
    message: 'Subscription granted',
  }));

  bindRoute(router, R.subscriberSubscriptions, async ({ caller, params }) => {
    const results = await subscriberSubscriptions(deps, caller, params.subscriber);
    return { data: { results, count: results.length, page: 1, per_page: results.length } };
  });

  for (const [spec, state] of [
    [R.providerSubscribers, 'all'],
    [R.providerActiveSubscribers, 'active'],
    [R.providerChurnedSubscribers, 'churned'],
  ] as const) {
    bindRoute(router, spec, async ({ params, query }) => {
      const q = toListQuery(query);
      const { results, count } = await providerSubscriptions(
        deps,
        params.provider,
        state,
        q.page,
        q.perPage,
        q,
      );
      return { data: { results, count, page: q.page, per_page: q.perPage } };
    });
  }

  return router;
}
