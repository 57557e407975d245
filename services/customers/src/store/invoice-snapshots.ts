import { Schema, type Connection } from 'mongoose';
import { modelOf, snapshotCopy, type AggregateLocks } from '@ledgerline/platform';
import {
  isNewer,
  TOTALS_FIELDS,
  type InvoiceFacts,
  type TotalsFacts,
} from '../domain/invoice-projection';

const TOTALS_PROJECTION = { _id: 0, ...Object.fromEntries(TOTALS_FIELDS.map((f) => [f, 1])) };

/** One document per billing invoice: the last state its events described. */
export interface InvoiceSnapshot extends InvoiceFacts {
  _id: string;
  tenant_id: string;
  /** The event that produced this state (a replay of it changes nothing). */
  event_id: string;
  /**
   * `occurred_at` in epoch milliseconds, compared by the store: a copy from an earlier instant is
   * replaced without a read first (copies stored before this field are decided on a read).
   */
  occurred_ms: number;
  updated_at: Date;
}

const snapshotSchema = new Schema<InvoiceSnapshot>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
    customer_id: { type: String, default: null },
    status: { type: String, required: true },
    currency: { type: String, required: true },
    total_minor: { type: Number, required: true },
    paid_minor: { type: Number, required: true },
    balance_due_minor: { type: Number, required: true },
    issue_date: { type: String, default: null },
    occurred_at: { type: String, required: true },
    event_rank: { type: Number, required: true },
    event_id: { type: String, required: true },
    occurred_ms: { type: Number },
    updated_at: { type: Date, required: true },
  },
  { collection: 'invoice_snapshots', versionKey: false },
);
snapshotSchema.index({ tenant_id: 1, customer_id: 1 });

export function invoiceSnapshotStore(connection: Connection, locks: AggregateLocks) {
  const model = modelOf<InvoiceSnapshot>(connection, 'InvoiceSnapshot', snapshotSchema);
  return {
    model,
    /** The newest state of each invoice, as billing's events tell it (late and repeated ones lose). */
    copies: snapshotCopy<InvoiceSnapshot>({
      name: 'customers:invoice-snapshot',
      model,
      locks,
      isNewer,
      // an event from an earlier instant is older whatever its kind (isNewer's first rule)
      replaces: (next) => ({ occurred_ms: { $lt: next.occurred_ms } }),
    }),

    async find(tenantId: string, invoiceId: string): Promise<InvoiceSnapshot | null> {
      return model.findOne({ _id: invoiceId, tenant_id: tenantId }).lean<InvoiceSnapshot>();
    },

    /** What the totals need of each of the customer's invoices (only those fields travel). */
    async ofCustomer(tenantId: string, customerId: string): Promise<TotalsFacts[]> {
      return model
        .find({ tenant_id: tenantId, customer_id: customerId }, TOTALS_PROJECTION)
        .lean<TotalsFacts[]>();
    },
  };
}

export type InvoiceSnapshotStore = ReturnType<typeof invoiceSnapshotStore>;
