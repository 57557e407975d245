import { Router } from 'express';
import { toListQuery, WEBHOOK_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { getDelivery, listDeliveries, retryDelivery, sendTestEvent } from '../use-cases/deliveries';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from '../use-cases/endpoints';
import type { WebhooksDeps } from '../use-cases/deps';

const flagOf = (v: string | undefined) => (v === undefined ? undefined : v === 'true');

/** Endpoints, their secrets and their delivery log (issue 15). */
export function webhookRoutes(deps: WebhooksDeps): Router {
  const router = Router();
  bindRoute(router, R.listEndpoints, async ({ caller, query }) => {
    const list = toListQuery(query);
    const page = await listEndpoints(deps, caller, list, { enabled: flagOf(query.enabled) });
    return { data: { ...page, page: list.page, per_page: list.perPage } };
  });
  bindRoute(router, R.createEndpoint, async ({ caller, body }) => ({
    data: await createEndpoint(deps, caller, body),
    message: 'Webhook endpoint created; keep its secret, it is not shown again',
  }));
  bindRoute(router, R.getEndpoint, async ({ caller, params }) => ({
    data: await getEndpoint(deps, caller, params.id),
  }));
  bindRoute(router, R.updateEndpoint, async ({ caller, params, body }) => ({
    data: await updateEndpoint(deps, caller, params.id, body),
    message: 'Webhook endpoint updated',
  }));
  bindRoute(router, R.deleteEndpoint, async ({ caller, params }) => ({
    data: await deleteEndpoint(deps, caller, params.id),
    message: 'Webhook endpoint deleted',
  }));
  bindRoute(router, R.rotateSecret, async ({ caller, params }) => ({
    data: await rotateSecret(deps, caller, params.id),
    message: 'Secret rotated; the previous one keeps signing during the overlap',
  }));
  bindRoute(router, R.testEndpoint, async ({ caller, params }) => ({
    data: await sendTestEvent(deps, caller, params.id),
    message: 'Test event queued',
  }));
  bindRoute(router, R.listDeliveries, async ({ caller, params, query }) => {
    const list = toListQuery(query);
    const page = await listDeliveries(deps, caller, params.id, list, { status: query.status });
    return { data: { ...page, page: list.page, per_page: list.perPage } };
  });
  bindRoute(router, R.getDelivery, async ({ caller, params }) => ({
    data: await getDelivery(deps, caller, params.id),
  }));
  bindRoute(router, R.retryDelivery, async ({ caller, params }) => ({
    data: await retryDelivery(deps, caller, params.id),
    message: 'Delivery queued again',
  }));
  return router;
}
