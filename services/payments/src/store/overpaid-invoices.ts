import { Schema, type Connection } from 'mongoose';
import { modelOf } from '@ledgerline/platform';

/** An invoice billing last reported as paid beyond its total, as payments' reconciliation sees it. */
export interface OverpaidInvoice {
  _id: string;
  tenant_id: string;
  invoice_id: string;
  currency: string;
  /** The payment (or reversal) whose application billing reported last. */
  payment_id: string | null;
  overpaid_minor: number;
  /** When billing's report was made: an older report never replaces a newer one. */
  reported_at: Date;
}

const overpaidSchema = new Schema<OverpaidInvoice>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
    currency: { type: String, required: true },
    payment_id: { type: String, default: null },
    overpaid_minor: { type: Number, required: true },
    reported_at: { type: Date, required: true },
  },
  { collection: 'overpaid_invoices', versionKey: false },
);
overpaidSchema.index({ tenant_id: 1 });

/**
 * Billing's latest word on each invoice it reported overpaid (an invoice whose payments add up to
 * more than its total: possible only for payments accepted before payments owned the balance, or
 * an old event). Kept from InvoiceStatusChanged; a later report that it is no longer overpaid (a
 * refund) marks it settled (overpaid_minor 0).
 */
export function overpaidInvoiceStore(connection: Connection) {
  const model = modelOf<OverpaidInvoice>(connection, 'OverpaidInvoice', overpaidSchema);
  return {
    model,
    /** Records billing's report unless a newer one is held; call under the invoice's lock. */
    async record(report: Omit<OverpaidInvoice, '_id'>): Promise<void> {
      const id = `${report.tenant_id}:${report.invoice_id}`;
      const held = await model.findById(id, { reported_at: 1 }).lean<OverpaidInvoice>();
      if (held && held.reported_at.getTime() > report.reported_at.getTime()) return;
      if (!held && report.overpaid_minor === 0) return;
      await model.updateOne({ _id: id }, { $set: report }, { upsert: true });
    },
    /** Whether any report of the invoice is held (read by id). */
    async held(tenantId: string, invoiceId: string): Promise<boolean> {
      return (await model.exists({ _id: `${tenantId}:${invoiceId}` })) !== null;
    },
    async overpaid(tenantId: string | null): Promise<OverpaidInvoice[]> {
      return model
        .find({ overpaid_minor: { $gt: 0 }, ...(tenantId !== null && { tenant_id: tenantId }) })
        .lean<OverpaidInvoice[]>();
    },
  };
}

export type OverpaidInvoiceStore = ReturnType<typeof overpaidInvoiceStore>;
