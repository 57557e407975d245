import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError, modelOf, storeSchema } from '@ledgerline/platform';
import type { CreditAccountState, UnitPrice } from '../domain/credit-math';

/**
 * A tenant's credit balance, the sequence number of the last transaction applied to it, and this
 * month's usage. It is only ever advanced to match a transaction already written (see use-cases/credit-usage.ts).
 */
export interface CreditAccount extends CreditAccountState {
  _id: string;
  tenant_id: string;
  /** The price per credit of the tenant's last purchase in USD: what usage costs are valued at. */
  unit_price: UnitPrice | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const schema = storeSchema<CreditAccount>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    balance: { type: Number, required: true },
    seq: { type: Number, required: true },
    usage_month: { type: String, default: '' },
    month_used: { type: Number, default: 0 },
    // {price_minor, credits, currency} or null
    unit_price: { type: Schema.Types.Mixed, default: null },
    version: { type: Number, required: true },
  },
  { collection: 'credit_accounts' },
);

export function creditAccountStore(connection: Connection) {
  const model = modelOf<CreditAccount>(connection, 'CreditAccount', schema);
  return {
    model,

    async find(tenantId: string): Promise<CreditAccount | null> {
      return model.findOne({ _id: tenantId, tenant_id: tenantId }).lean<CreditAccount>();
    },

    /** The account, created empty the first time (a unique insert: two creators cannot both win). */
    async findOrCreate(tenantId: string): Promise<CreditAccount> {
      const existing = await this.find(tenantId);
      if (existing) return existing;
      try {
        await model.create({
          _id: tenantId,
          tenant_id: tenantId,
          balance: 0,
          seq: 0,
          usage_month: '',
          month_used: 0,
          unit_price: null,
          version: 1,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      return (await this.find(tenantId)) as CreditAccount;
    },

    /** Advances the account if nobody did since `expectedVersion`; false otherwise. */
    async advance(
      tenantId: string,
      expectedVersion: number,
      set: CreditAccountState & { unit_price?: UnitPrice },
    ): Promise<boolean> {
      const result = await model.updateOne(
        { _id: tenantId, tenant_id: tenantId, version: expectedVersion },
        { $set: set, $inc: { version: 1 } },
      );
      return result.modifiedCount === 1;
    },
  };
}
export type CreditAccountStore = ReturnType<typeof creditAccountStore>;
