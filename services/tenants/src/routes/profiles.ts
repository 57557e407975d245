import { Router } from 'express';
import { grantSubscriptionRequest, listQuerySchema, ok } from '@ledgerline/contracts';
import { parseBody, parseQuery, requirePlatformAdmin } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { caller } from './caller';
import {
  grantSubscription,
  providerSubscriptions,
  subscriberSubscriptions,
} from '../use-cases/profiles';

/** Seed 001 subscriptions: /api/profile/{provider|subscriber}/... */
export function profileRoutes(deps: TenantsDeps): Router {
  const router = Router();

  router.post('/:provider/plans/:plan/subscriptions', requirePlatformAdmin, async (req, res) => {
    const granted = await grantSubscription(
      deps,
      caller(req),
      String(req.params.provider),
      String(req.params.plan),
      parseBody(grantSubscriptionRequest, req),
    );
    res.status(201).json(ok(granted, 'Subscription granted'));
  });

  router.get('/:subscriber/subscriptions', async (req, res) => {
    const results = await subscriberSubscriptions(deps, caller(req), String(req.params.subscriber));
    res.json(ok({ results, count: results.length, page: 1, per_page: results.length }));
  });

  for (const [path, state] of [
    ['/:provider/subscribers', 'all'],
    ['/:provider/subscribers/active', 'active'],
    ['/:provider/subscribers/churned', 'churned'],
  ] as const) {
    router.get(path, requirePlatformAdmin, async (req, res) => {
      const q = parseQuery(listQuerySchema, req);
      const { results, count } = await providerSubscriptions(
        deps,
        String(req.params.provider),
        state,
        q.page,
        q.perPage,
        q,
      );
      res.json(ok({ results, count, page: q.page, per_page: q.perPage }));
    });
  }

  return router;
}
