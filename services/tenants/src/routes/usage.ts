import { Router } from 'express';
import { USAGE_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { TenantsDeps } from '../use-cases/deps';
import { ingestUsageEvents } from '../use-cases/usage-events';
import { subscriptionUsage } from '../use-cases/usage-read';

/** Metered usage of a provider's subscriptions (issue 18). */
export function usageRoutes(deps: TenantsDeps): Router {
  const router = Router();
  bindRoute(router, R.ingest, async ({ caller, body }) => ({
    data: await ingestUsageEvents(deps, caller, body),
    message: 'Usage events accepted',
  }));
  bindRoute(router, R.subscriptionUsage, async ({ caller, params }) => ({
    data: await subscriptionUsage(deps, caller, params.id),
  }));
  return router;
}
