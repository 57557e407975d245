import { subscriptionUsageView, usageEventsAccepted, usageEventsRequest } from '../api/usage';
import { defineRoute } from '../route';

/**
 * Metered usage (issue 18). The caller is the provider (the tenant of its token); the subscriber
 * organization's members may read their own subscription's usage too.
 */
const tag = 'usage';

export const USAGE_ROUTES = {
  ingest: defineRoute({
    method: 'post',
    operationId: 'usage.ingest',
    path: '/api/usage/events',
    tag,
    summary:
      'Report 1..1000 usage events of your subscribers; the whole batch is refused (422, details events.<i>.<field>) if one is invalid; counted once per transaction_id (the first wins, in a request too)',
    permission: 'usage:create',
    body: usageEventsRequest,
    status: 202,
    response: usageEventsAccepted,
  }),
  subscriptionUsage: defineRoute({
    method: 'get',
    operationId: 'usage.getSubscription',
    path: '/api/usage/subscriptions/{id}',
    tag,
    summary:
      "A subscription's usage in its current period per metric and the upcoming invoice so far (provider or subscriber)",
    permission: 'usage:read',
    response: subscriptionUsageView,
  }),
};
