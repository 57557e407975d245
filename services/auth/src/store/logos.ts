import type { Connection } from 'mongoose';
import { modelOf, storeSchema } from '@ledgerline/platform';
import type { LOGO_TYPES } from '@ledgerline/contracts';

/**
 * A tenant's logo (drawn on its invoices): the image bytes in a collection of their own, one
 * document per tenant (its id the tenant's), so the settings document read everywhere stays small.
 */
export interface AccountLogo {
  _id: string;
  tenant_id: string;
  content_type: (typeof LOGO_TYPES)[number];
  data: Buffer;
  width: number;
  height: number;
  bytes: number;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const logoSchema = storeSchema<AccountLogo>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    content_type: { type: String, required: true },
    data: { type: Buffer, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    bytes: { type: Number, required: true },
    updated_by: { type: String, default: null },
  },
  { collection: 'account_logos' },
);

/** Without the bytes: what the logo is. */
const NO_DATA = { data: 0 };

export function logoStore(connection: Connection) {
  const model = modelOf<AccountLogo>(connection, 'AccountLogo', logoSchema);
  const byTenant = (tenantId: string) => ({ _id: tenantId, tenant_id: tenantId });
  return {
    /**
     * Replaces the tenant's logo whole (an upsert of one document: a blind overwrite, nothing
     * read first, so no aggregate lock; the last upload wins).
     */
    async put(logo: Omit<AccountLogo, '_id' | 'created_at' | 'updated_at'>): Promise<AccountLogo> {
      await model.updateOne(
        byTenant(logo.tenant_id),
        { $set: logo },
        { upsert: true, runValidators: true },
      );
      return (await model.findOne(byTenant(logo.tenant_id), NO_DATA).lean<AccountLogo>())!;
    },
    /** The logo with its bytes (only the document renderer asks for them). */
    async find(tenantId: string): Promise<AccountLogo | null> {
      return model.findOne(byTenant(tenantId)).lean<AccountLogo>();
    },
    /** True when there was one to delete. */
    async remove(tenantId: string): Promise<boolean> {
      return (await model.deleteOne(byTenant(tenantId))).deletedCount > 0;
    },
  };
}
export type LogoStore = ReturnType<typeof logoStore>;
