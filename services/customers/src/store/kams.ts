import { Schema, type Connection, type Model } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import { defineAggregate, searchClause } from '@ledgerline/platform';
import { pageOf, sortOf } from './common';

/** A key account manager: the tenant's employee who looks after a set of customers. */
export interface Kam {
  _id: string;
  tenant_id: string;
  kam_name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  is_active: boolean;
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const kamSchema = new Schema<Kam>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    kam_name: { type: String, required: true },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    address: { type: String, default: null },
    is_active: { type: Boolean, required: true },
    created_by: { type: String, default: null },
    updated_by: { type: String, default: null },
  },
  {
    collection: 'kams',
    versionKey: false,
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  },
);
kamSchema.index({ tenant_id: 1, created_at: -1 });

export interface KamFilters {
  is_active?: boolean;
}

/** Every query names the tenant. */
export function kamStore(connection: Connection) {
  const model: Model<Kam> = connection.model<Kam>('Kam', kamSchema);
  return {
    /** Its lock also keeps a KAM that a customer write names from being deleted meanwhile. */
    aggregate: defineAggregate({
      name: 'customers:kam',
      label: 'KAM',
      model,
      versionField: null,
      outbox: false,
    }),
    model,

    async insert(kam: Omit<Kam, 'created_at' | 'updated_at'>): Promise<Kam> {
      return (await model.create(kam)).toObject();
    },

    async findById(tenantId: string, id: string): Promise<Kam | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }).lean<Kam>();
    },

    async findByIds(tenantId: string, ids: string[]): Promise<Kam[]> {
      if (ids.length === 0) return [];
      return model.find({ _id: { $in: ids }, tenant_id: tenantId }).lean<Kam[]>();
    },

    async list(tenantId: string, query: ListQuery, filters: KamFilters) {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      const search = searchClause(query, ['kam_name', 'email', 'phone']);
      if (search) Object.assign(filter, search);
      return pageOf<Kam>(
        model,
        filter,
        sortOf(query.sort, { kam_name: 'kam_name', created_at: 'created_at' }),
        query,
      );
    },
  };
}

export type KamStore = ReturnType<typeof kamStore>;
