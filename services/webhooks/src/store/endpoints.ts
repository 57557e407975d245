import type { Connection } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  searchClause,
  tenantDocumentSchema,
  type TenantDocument,
} from '@ledgerline/platform';

/** A tenant's webhook endpoint. `secret` and `previous_secret` never leave this service's reads. */
export interface Endpoint extends TenantDocument {
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  /** Since when every attempt to it has failed (reset by a success); null while it answers. */
  failing_since: Date | null;
  version: number;
}

const endpointSchema = tenantDocumentSchema<Endpoint>(
  {
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String, default: '' },
    enabled: { type: Boolean, required: true },
    disabled_reason: { type: String, default: null },
    secret: { type: String, required: true },
    previous_secret: { type: String, default: null },
    previous_secret_expires_at: { type: Date, default: null },
    failing_since: { type: Date, default: null },
    version: { type: Number, default: 0 },
  },
  { collection: 'webhook_endpoints' },
);

/** What a read shows: everything but the secrets. */
const WITHOUT_SECRETS = { secret: 0, previous_secret: 0 } as const;
export type EndpointView = Omit<Endpoint, 'secret' | 'previous_secret'>;

export function withoutSecrets(endpoint: Endpoint): EndpointView {
  const { secret: _secret, previous_secret: _previous, ...view } = endpoint;
  return view;
}

/** Every query names the tenant. */
export function endpointStore(connection: Connection) {
  const model = modelOf<Endpoint>(connection, 'WebhookEndpoint', endpointSchema);
  return {
    aggregate: defineAggregate({
      name: 'webhooks:endpoint',
      label: 'Webhook endpoint',
      model,
      outbox: false,
    }),
    model,

    async insert(doc: Omit<Endpoint, 'created_at' | 'updated_at'>): Promise<Endpoint> {
      return (await model.create(doc)).toObject();
    },

    /** With its secrets: for signing only. */
    async findForDelivery(tenantId: string, id: string): Promise<Endpoint | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }).lean<Endpoint>();
    },

    async findById(tenantId: string, id: string): Promise<EndpointView | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }, WITHOUT_SECRETS).lean<EndpointView>();
    },

    /** The tenant's enabled endpoints, with secrets (a tenant has at most a few dozen). */
    async enabledOf(tenantId: string): Promise<Endpoint[]> {
      return model.find({ tenant_id: tenantId, enabled: true }).lean<Endpoint[]>();
    },

    async countOf(tenantId: string): Promise<number> {
      return model.countDocuments({ tenant_id: tenantId });
    },

    async list(tenantId: string, query: ListQuery, filters: { enabled?: boolean }) {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (filters.enabled !== undefined) filter.enabled = filters.enabled;
      const search = searchClause(query, ['url', 'description']);
      const found = await findPage<Endpoint>(
        model,
        { ...filter, ...search },
        { created_at: -1, _id: -1 },
        query,
      );
      return { results: found.results.map(withoutSecrets), count: found.count };
    },

    async remove(tenantId: string, id: string): Promise<boolean> {
      return (await model.deleteOne({ _id: id, tenant_id: tenantId })).deletedCount === 1;
    },
  };
}

export type EndpointStore = ReturnType<typeof endpointStore>;
