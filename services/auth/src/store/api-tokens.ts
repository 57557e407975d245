import type { Connection } from 'mongoose';
import type { Permission, Role } from '@ledgerline/contracts';
import { modelOf, storeSchema } from '@ledgerline/platform';

export interface ApiToken {
  _id: string;
  tenant_id: string;
  name: string;
  role: Role;
  permissions: Permission[];
  platform: boolean;
  /** SHA-256 of the secret: the secret itself is shown once, at creation, and never stored. */
  secret_hash: string;
  created_by: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const apiTokenSchema = storeSchema<ApiToken>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    permissions: { type: [String], default: [] },
    platform: { type: Boolean, default: false },
    secret_hash: { type: String, required: true },
    created_by: { type: String, required: true },
    revoked_at: { type: Date, default: null },
    last_used_at: { type: Date, default: null },
  },
  { collection: 'api_tokens' },
);
apiTokenSchema.index({ tenant_id: 1, created_at: -1 });

export function apiTokenStore(connection: Connection) {
  const model = modelOf<ApiToken>(connection, 'ApiToken', apiTokenSchema);
  const noSecret = { secret_hash: 0 };
  return {
    async insert(token: Omit<ApiToken, 'created_at' | 'updated_at'>): Promise<void> {
      await model.create(token);
    },
    async findById(id: string): Promise<ApiToken | null> {
      return model.findById(id).lean<ApiToken>();
    },
    async findInTenant(
      tenantId: string,
      id: string,
    ): Promise<Omit<ApiToken, 'secret_hash'> | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }, noSecret).lean<ApiToken>();
    },
    async list(tenantId: string): Promise<Omit<ApiToken, 'secret_hash'>[]> {
      return model
        .find({ tenant_id: tenantId }, noSecret)
        .sort({ created_at: -1 })
        .lean<ApiToken[]>();
    },
    /** Revocation only ever sets revoked_at once; a lost race re-sets the same value. */
    async revoke(id: string, at: Date): Promise<void> {
      await model.updateOne({ _id: id, revoked_at: null }, { $set: { revoked_at: at } });
    },
  };
}
export type ApiTokenStore = ReturnType<typeof apiTokenStore>;
