import type { Connection } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import {
  lockedAggregate,
  modelOf,
  tenantDocumentSchema,
  type TenantDocument,
} from '@ledgerline/platform';
import { listPage } from './common';

/** A key account manager: the tenant's employee who looks after a set of customers. */
export interface Kam extends TenantDocument {
  kam_name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  is_active: boolean;
}

const kamSchema = tenantDocumentSchema<Kam>(
  {
    kam_name: { type: String, required: true },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    address: { type: String, default: null },
    is_active: { type: Boolean, required: true },
  },
  { collection: 'kams' },
);
kamSchema.index({ tenant_id: 1, created_at: -1 });

export interface KamFilters {
  is_active?: boolean;
}

/** Every query names the tenant. */
export function kamStore(connection: Connection) {
  const model = modelOf<Kam>(connection, 'Kam', kamSchema);
  return {
    /** Its lock also keeps a KAM that a customer write names from being deleted meanwhile. */
    aggregate: lockedAggregate({ name: 'customers:kam', label: 'KAM', model }),
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
      return listPage<Kam>(model, filter, query, ['kam_name', 'email', 'phone'], {
        kam_name: 'kam_name',
        created_at: 'created_at',
      });
    },
  };
}

export type KamStore = ReturnType<typeof kamStore>;
