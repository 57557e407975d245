import type { Connection } from 'mongoose';
import { lockedAggregate, modelOf, storeSchema } from '@ledgerline/platform';

/** A tenant's account settings (seed 000); credit_balance is kept from billing's events. */
export interface AccountSettings {
  _id: string;
  tenant_id: string;
  name: string;
  slug: string;
  billing_email: string | null;
  billing_address_line1: string | null;
  billing_address_line2: string | null;
  billing_city: string | null;
  billing_state: string | null;
  billing_postal_code: string | null;
  billing_country: string | null;
  tax_id: string | null;
  credit_balance: number;
  /** The seq of the billing credit transaction credit_balance reflects (highest wins). */
  credit_seq: number;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const text = { type: String, default: null };

const settingsSchema = storeSchema<AccountSettings>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    name: { type: String, required: true },
    slug: { type: String, required: true },
    billing_email: text,
    billing_address_line1: text,
    billing_address_line2: text,
    billing_city: text,
    billing_state: text,
    billing_postal_code: text,
    billing_country: text,
    tax_id: text,
    credit_balance: { type: Number, default: 0 },
    credit_seq: { type: Number, default: 0 },
    updated_by: text,
  },
  { collection: 'account_settings' },
);

export function settingsStore(connection: Connection) {
  const model = modelOf<AccountSettings>(connection, 'AccountSettings', settingsSchema);
  return {
    /** One document per tenant, its id the tenant's. */
    aggregate: lockedAggregate({ name: 'settings', label: 'Account settings', model }),
    async find(tenantId: string): Promise<AccountSettings | null> {
      return model.findOne({ _id: tenantId, tenant_id: tenantId }).lean<AccountSettings>();
    },
    /** Creates the settings the first time a tenant's are asked for (insert: atomic, no lock). */
    async findOrCreate(
      tenantId: string,
      defaults: { name: string; slug: string },
    ): Promise<AccountSettings> {
      const existing = await this.find(tenantId);
      if (existing) return existing;
      try {
        await model.create({ _id: tenantId, tenant_id: tenantId, ...defaults });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      return (await this.find(tenantId)) as AccountSettings;
    },
  };
}
export type SettingsStore = ReturnType<typeof settingsStore>;
