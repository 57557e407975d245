import { Schema, type Connection } from 'mongoose';

export interface Tenant {
  _id: string;
  name: string;
  slug: string;
  type: 'personal' | 'organization';
  owner_user_id: string;
  status: 'active' | 'inactive' | 'trial' | 'suspended';
  created_at: Date;
  updated_at: Date;
}

const tenantSchema = new Schema<Tenant>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    slug: { type: String, required: true },
    type: { type: String, required: true },
    owner_user_id: { type: String, required: true },
    status: { type: String, required: true },
  },
  {
    collection: 'tenants',
    versionKey: false,
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  },
);

export function tenantStore(connection: Connection) {
  const model = connection.model<Tenant>('Tenant', tenantSchema);
  return {
    /** Idempotent: a replayed registration finds the tenant already there and changes nothing. */
    async createIfAbsent(tenant: Omit<Tenant, 'created_at' | 'updated_at'>): Promise<void> {
      const { _id, ...fields } = tenant;
      await model.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
    },
    async findById(id: string): Promise<Tenant | null> {
      return model.findById(id).lean<Tenant>();
    },
  };
}
export type TenantStore = ReturnType<typeof tenantStore>;
