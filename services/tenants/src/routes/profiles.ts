import { Router } from 'express';
import { toListQuery, TENANT_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import {
  grantPlatformSubscription,
  platformSubscribers,
  isPlatformProvider,
  subscriberSubscriptions,
} from '../use-cases/profiles';
import {
  grantProviderSubscription,
  listProviderSubscribers,
} from '../use-cases/provider-subscriptions';

/**
 * Seed 001 subscriptions: /api/profile/{provider|subscriber}/... The provider "platform" answers
 * from seed 003's plans and tenant documents; every other provider from the provider engine.
 */
export function profileRoutes(deps: TenantsDeps): Router {
  const router = Router();

  bindRoute(router, R.grantSubscription, async ({ caller, params, body }) => {
    if (isPlatformProvider(params.provider))
      return {
        data: await grantPlatformSubscription(deps, caller, params.plan, body),
        message: 'Subscription granted',
      };
    const { created, subscription } = await grantProviderSubscription(
      deps,
      caller,
      params.provider,
      params.plan,
      body,
    );
    // one success status per route: a repeat answers the live subscription again, as 201
    return {
      data: subscription,
      message: created ? 'Subscription granted' : 'Subscription already granted',
    };
  });

  bindRoute(router, R.subscriberSubscriptions, async ({ caller, params }) => {
    const results = await subscriberSubscriptions(deps, caller, params.subscriber);
    return { data: { results, count: results.length, page: 1, per_page: results.length } };
  });

  for (const [spec, state] of [
    [R.providerSubscribers, 'all'],
    [R.providerActiveSubscribers, 'active'],
    [R.providerChurnedSubscribers, 'churned'],
  ] as const) {
    bindRoute(router, spec, async ({ caller, params, query }) => {
      const q = toListQuery(query);
      const { results, count } = isPlatformProvider(params.provider)
        ? await platformSubscribers(deps, caller, state, q.page, q.perPage, q)
        : await listProviderSubscribers(deps, caller, params.provider, state, q);
      return { data: { results, count, page: q.page, per_page: q.perPage } };
    });
  }

  return router;
}
