import type { Connection } from 'mongoose';
import type { ListQuery, WebhookDeliveryStatus } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  insertNew,
  modelOf,
  storeSchema,
  tenantKeyFields,
} from '@ledgerline/platform';

export interface Attempt {
  number: number;
  at: Date;
  response_code: number | null;
  latency_ms: number;
  error: string | null;
  response_body: string | null;
}

/**
 * One public event for one endpoint: the log entry, kept after it is done. Its `_id` is
 * `<event id>:<endpoint id>` (a replayed internal event makes none twice) and is the `webhook-id`
 * of every attempt. `body` is fixed at creation, so every retry signs the same bytes.
 */
export interface Delivery {
  _id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_response_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  attempt_log: Attempt[];
  version: number;
  created_at: Date;
  updated_at: Date;
}

const attemptSchema = {
  number: Number,
  at: Date,
  response_code: { type: Number, default: null },
  latency_ms: Number,
  error: { type: String, default: null },
  response_body: { type: String, default: null },
};

const deliverySchema = storeSchema<Delivery>(
  {
    ...tenantKeyFields,
    endpoint_id: { type: String, required: true },
    event_id: { type: String, required: true },
    type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    last_response_code: { type: Number, default: null },
    last_latency_ms: { type: Number, default: null },
    last_error: { type: String, default: null },
    next_attempt_at: { type: Date, default: null },
    attempt_log: { type: [attemptSchema], default: [] },
    version: { type: Number, default: 0 },
  },
  { collection: 'webhook_deliveries' },
);
deliverySchema.index({ tenant_id: 1, endpoint_id: 1, created_at: -1 });

export function deliveryStore(connection: Connection) {
  const model = modelOf<Delivery>(connection, 'WebhookDelivery', deliverySchema);
  return {
    aggregate: defineAggregate({
      name: 'webhooks:delivery',
      label: 'Delivery',
      model,
      outbox: false,
    }),
    model,

    /** Inserts those not stored yet (their ids are their facts). */
    async insertNew(docs: Omit<Delivery, 'updated_at'>[]): Promise<void> {
      await insertNew(
        model,
        docs.map((d) => ({ ...d, updated_at: d.created_at })),
      );
    },

    /** One delivery of the tenant, by `_id` (the log's detail read). */
    async findById(tenantId: string, id: string): Promise<Delivery | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }).lean<Delivery>();
    },

    async list(
      tenantId: string,
      endpointId: string,
      query: ListQuery,
      filters: { status?: WebhookDeliveryStatus },
    ) {
      const filter: Record<string, unknown> = { tenant_id: tenantId, endpoint_id: endpointId };
      if (filters.status) filter.status = filters.status;
      return findPage<Delivery>(model, filter, { created_at: -1, _id: -1 }, query);
    },

    /** Pending deliveries, for rebuilding the queue at start (see dispatcher.ts). */
    async pendingKeys(): Promise<
      Pick<Delivery, '_id' | 'tenant_id' | 'endpoint_id' | 'next_attempt_at'>[]
    > {
      return model
        .find({ status: 'pending' }, { _id: 1, tenant_id: 1, endpoint_id: 1, next_attempt_at: 1 })
        .lean();
    },
  };
}

export type DeliveryStore = ReturnType<typeof deliveryStore>;
