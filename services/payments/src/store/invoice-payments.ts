import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The ids of every payment recorded against one invoice, so that deciding the invoice's balance
 * reads its payments by id (FerretDB's SQLite backend scans a collection for any other filter).
 * Written under the invoice's balance lock, an id before its payment: an id whose payment was
 * never written (a crash between the two) holds nothing, while a payment is never left unlisted.
 */
interface InvoicePayments {
  _id: string;
  tenant_id: string;
  invoice_id: string;
  payment_ids: string[];
}

const invoicePaymentsSchema = new Schema<InvoicePayments>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
    payment_ids: { type: [String], default: [] },
  },
  { collection: 'invoice_payments', versionKey: false },
);
invoicePaymentsSchema.index({ tenant_id: 1 });

export function invoicePaymentsStore(connection: Connection) {
  const model: Model<InvoicePayments> = connection.model<InvoicePayments>(
    'InvoicePayments',
    invoicePaymentsSchema,
  );
  const idOf = (tenantId: string, invoiceId: string) => `${tenantId}:${invoiceId}`;
  return {
    model,
    /** The invoice's payment ids, or null when none were ever listed (payments older than the list). */
    async ids(tenantId: string, invoiceId: string): Promise<string[] | null> {
      const doc = await model
        .findOne({ _id: idOf(tenantId, invoiceId), tenant_id: tenantId }, { payment_ids: 1 })
        .lean<Pick<InvoicePayments, 'payment_ids'>>();
      return doc ? doc.payment_ids : null;
    },
    /** Sets the invoice's list to `ids`; callers hold the invoice's balance lock. */
    async write(tenantId: string, invoiceId: string, ids: string[]): Promise<void> {
      await model.updateOne(
        { _id: idOf(tenantId, invoiceId) },
        { $set: { tenant_id: tenantId, invoice_id: invoiceId, payment_ids: ids } },
        { upsert: true },
      );
    },
  };
}

export type InvoicePaymentsStore = ReturnType<typeof invoicePaymentsStore>;
