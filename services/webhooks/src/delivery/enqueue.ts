import type { WebhookPayload } from '@ledgerline/contracts';
import { deliveryIdOf, subscribesTo } from '../domain/endpoints';
import type { Delivery, DeliveryStore } from '../store/deliveries';
import type { Endpoint, EndpointStore } from '../store/endpoints';
import type { QueueEntry, QueueStore } from '../store/queue';

/** How long a tenant's endpoint list is reused (another replica's change is seen after this). */
const ENDPOINTS_TTL_MS = 2000;

export interface EnqueueDeps {
  endpoints: EndpointStore;
  deliveries: DeliveryStore;
  queue: QueueStore;
  /** Hands the dispatcher the entries just queued (due now). */
  offer(entries: readonly QueueEntry[]): void;
}

/** The delivery of `payload` to `endpoint`, due now. */
export function newDelivery(payload: WebhookPayload, endpoint: Pick<Endpoint, '_id'>, now: Date) {
  return {
    _id: deliveryIdOf(payload.id, endpoint._id),
    tenant_id: payload.tenant_id,
    endpoint_id: endpoint._id,
    event_id: payload.id,
    type: payload.type,
    body: JSON.stringify({
      id: payload.id,
      type: payload.type,
      timestamp: payload.timestamp,
      tenant_id: payload.tenant_id,
      data: payload.data,
    }),
    status: 'pending' as const,
    attempts: 0,
    last_response_code: null,
    last_latency_ms: null,
    last_error: null,
    next_attempt_at: now,
    attempt_log: [],
    version: 0,
    created_at: now,
  };
}

/**
 * Turns public events into deliveries: one per (event, enabled endpoint of its tenant subscribed
 * to its type or `*`). Idempotent: a delivery's id is `<event id>:<endpoint id>`, so handing the
 * same events in again (a redelivered internal event) creates nothing twice.
 *
 * Order of the writes, for crashes: the deliveries (the log, status pending) first, then their
 * queue entries. A crash in between leaves pending deliveries without entries; the caller is
 * retried (the consumer's offset is committed only after this answers), and the second call
 * finds the deliveries there and adds the entries. An entry added again for a delivery already
 * done is dropped by the dispatcher, which reads the delivery's status before sending.
 */
export function enqueuer(deps: EnqueueDeps) {
  const cache = new Map<string, { at: number; endpoints: Endpoint[] }>();

  async function endpointsOf(tenantId: string): Promise<Endpoint[]> {
    const cached = cache.get(tenantId);
    if (cached && Date.now() - cached.at < ENDPOINTS_TTL_MS) return cached.endpoints;
    const endpoints = await deps.endpoints.enabledOf(tenantId);
    cache.set(tenantId, { at: Date.now(), endpoints });
    return endpoints;
  }

  async function store(docs: Omit<Delivery, 'updated_at'>[]): Promise<void> {
    if (docs.length === 0) return;
    await deps.deliveries.insertNew(docs);
    const entries = docs.map((d) => ({
      _id: d._id,
      tenant_id: d.tenant_id,
      endpoint_id: d.endpoint_id,
      due_at: d.created_at,
    }));
    await deps.queue.add(entries);
    deps.offer(entries);
  }

  return {
    /**
     * An enabled endpoint of the tenant, with its secrets, from the same short-lived copy (a
     * rotation or change made in this process forgets it at once); null when it is not enabled.
     */
    async enabledEndpoint(tenantId: string, endpointId: string): Promise<Endpoint | null> {
      return (await endpointsOf(tenantId)).find((e) => e._id === endpointId) ?? null;
    },

    /**
     * Whether an enabled endpoint of the tenant subscribes to the type (from the same short-lived
     * copy the deliveries are made from): the catalogue asks no owner for an event nobody takes.
     */
    async wants(tenantId: string, type: WebhookPayload['type']): Promise<boolean> {
      return (await endpointsOf(tenantId)).some((e) => subscribesTo(e.events, type));
    },

    /** A tenant's endpoints changed in this process: the next event reads them afresh. */
    forget(tenantId: string): void {
      cache.delete(tenantId);
    },

    /** Deliveries for every subscribed endpoint (but `exceptEndpoint`); answers how many. */
    async enqueue(
      payloads: readonly WebhookPayload[],
      now = new Date(),
      exceptEndpoint?: string,
    ): Promise<number> {
      const docs: Omit<Delivery, 'updated_at'>[] = [];
      for (const payload of payloads) {
        for (const endpoint of await endpointsOf(payload.tenant_id)) {
          if (endpoint._id === exceptEndpoint) continue;
          if (subscribesTo(endpoint.events, payload.type))
            docs.push(newDelivery(payload, endpoint, now));
        }
      }
      await store(docs);
      return docs.length;
    },

    /** One delivery to one endpoint whatever it subscribes to (a test event). */
    async enqueueTo(payload: WebhookPayload, endpoint: Pick<Endpoint, '_id'>, now = new Date()) {
      const doc = newDelivery(payload, endpoint, now);
      await store([doc]);
      return doc;
    },
  };
}

export type Enqueuer = ReturnType<typeof enqueuer>;
