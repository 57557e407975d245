import type { Connection } from 'mongoose';
import { isDuplicateKeyError, modelOf, storeSchema } from '@ledgerline/platform';

/**
 * A tenant's purchase of a credit package: the platform invoice that bills it, and whether its
 * credits were granted. Held in the buying tenant (deleted with it); unique by invoice.
 */
export interface CreditPurchase {
  _id: string;
  tenant_id: string;
  package_id: string;
  package_name: string;
  credits: number;
  price_minor: number;
  currency: string;
  invoice_id: string;
  status: 'pending' | 'granted';
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const schema = storeSchema<CreditPurchase>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    package_id: { type: String, required: true },
    package_name: { type: String, required: true },
    credits: { type: Number, required: true },
    price_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    invoice_id: { type: String, required: true, unique: true },
    status: { type: String, required: true },
    created_by: { type: String, default: null },
  },
  { collection: 'credit_purchases' },
);

export function creditPurchaseStore(connection: Connection) {
  const model = modelOf<CreditPurchase>(connection, 'CreditPurchase', schema);
  return {
    model,
    /** Inserts once; a repeat (same id) answers the purchase recorded the first time. */
    async insertOnce(
      purchase: Omit<CreditPurchase, 'created_at' | 'updated_at'>,
    ): Promise<CreditPurchase> {
      try {
        await model.create(purchase);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      return (await model
        .findOne({ _id: purchase._id, tenant_id: purchase.tenant_id })
        .lean<CreditPurchase>()) as CreditPurchase;
    },
    async findByInvoice(tenantId: string, invoiceId: string): Promise<CreditPurchase | null> {
      return model.findOne({ tenant_id: tenantId, invoice_id: invoiceId }).lean<CreditPurchase>();
    },
    async markGranted(tenantId: string, id: string): Promise<void> {
      await model.updateOne({ _id: id, tenant_id: tenantId }, { $set: { status: 'granted' } });
    },
  };
}
export type CreditPurchaseStore = ReturnType<typeof creditPurchaseStore>;
