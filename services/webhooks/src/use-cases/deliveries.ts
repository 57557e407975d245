import { randomBytes } from 'node:crypto';
import { AppError, type ListQuery, type WebhookDeliveryStatus } from '@ledgerline/contracts';
import type { RequestCaller } from '@ledgerline/platform';
import type { Delivery } from '../store/deliveries';
import { toDeliveryDetail, toDeliveryView } from '../views';
import type { WebhooksDeps } from './deps';

export async function listDeliveries(
  deps: WebhooksDeps,
  caller: RequestCaller,
  endpointId: string,
  query: ListQuery,
  filters: { status?: WebhookDeliveryStatus },
) {
  if (!(await deps.endpoints.findById(caller.tenantId, endpointId)))
    throw AppError.notFound('Webhook endpoint');
  const page = await deps.deliveries.list(caller.tenantId, endpointId, query, filters);
  return { results: page.results.map(toDeliveryView), count: page.count };
}

export async function getDelivery(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  const delivery = await deps.deliveries.findById(caller.tenantId, id);
  if (!delivery) throw AppError.notFound('Delivery');
  return toDeliveryDetail(delivery);
}

/**
 * A replay: the delivery is due now with the same webhook-id; a failed (or succeeded) one is
 * pending again and its attempts continue from where they were. The delivery first, then its
 * queue entry: a crash in between leaves a pending delivery without an entry, which the start
 * of the next process puts back (see rebuildQueue).
 */
export async function retryDelivery(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  const now = new Date();
  const changed = await deps.aggregates.change<Delivery>(
    deps.deliveries.aggregate,
    { id, tenantId: caller.tenantId },
    () => ({ set: { status: 'pending', next_attempt_at: now } }),
  );
  const d = changed.after;
  await deps.queue.dueNow({
    _id: d._id,
    tenant_id: d.tenant_id,
    endpoint_id: d.endpoint_id,
    due_at: now,
  });
  deps.wake();
  return toDeliveryView(d);
}

/** A `webhook.test` event for this endpoint only (whatever it subscribes to). */
export async function sendTestEvent(deps: WebhooksDeps, caller: RequestCaller, endpointId: string) {
  const endpoint = await deps.endpoints.findById(caller.tenantId, endpointId);
  if (!endpoint) throw AppError.notFound('Webhook endpoint');
  const now = new Date();
  const delivery = await deps.enqueuer.enqueueTo(
    {
      id: `evt_test_${randomBytes(12).toString('base64url')}`,
      type: 'webhook.test',
      timestamp: now.toISOString(),
      tenant_id: caller.tenantId,
      data: { endpoint_id: endpointId, message: 'A test event from Ledgerline' },
    },
    endpoint,
    now,
  );
  return toDeliveryView(delivery);
}
