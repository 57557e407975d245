import { Schema } from 'mongoose';
import { tenantDocumentSchema, type OutboxFields, type TenantDocument } from '@ledgerline/platform';
import type { InvoiceStatus } from '../domain/settlement';

/**
 * An invoice as stored (the `invoices` collection, one document with its lines, totals and
 * outbox) and the tenant's number counter (`counters`); invoices.ts queries them.
 */

export interface InvoiceLine {
  id: string;
  entitlement_details_id: string | null;
  sub_total_minor: number;
  vat_rate: number;
  discount_rate: number;
  vat_minor: number;
  discount_minor: number;
  line_total_minor: number;
  remarks: string | null;
}

export interface Invoice extends TenantDocument {
  invoice_number: string | null;
  /** The invoice number as an integer (1 for INV-000001), null for drafts. */
  number_seq: number | null;
  /** invoice_number, or a per-draft placeholder: unique per tenant without a partial index. */
  number_key: string;
  customer_id: string | null;
  customer_entitlement_master_id: string | null;
  information_master_id: string | null;
  /** The entitlement's bill number (seed 002 searches invoices by it). */
  bill_number?: string | null;
  /** The billing period of an auto-generated invoice. */
  period_start?: string | null;
  period_end?: string | null;
  /** The billing run that created it. */
  billing_run_id?: string | null;
  /** The provider subscription it bills (issue 18), null for other invoices. */
  subscription_id?: string | null;
  status: InvoiceStatus;
  currency: string;
  issue_date: string | null;
  due_date: string | null;
  details: InvoiceLine[];
  sub_total_minor: number;
  vat_minor: number;
  discount_minor: number;
  total_minor: number;
  paid_minor: number;
  balance_due_minor: number;
  /**
   * Changes already applied (payment ids, `void:`/`refund:`/`cn:` markers): the idempotency
   * record of settlement, in the same document. The recent ones: older ones move to the
   * applied-markers collection (store/applied-markers.ts), counted in `applied_archived`.
   */
  applied_payments: string[];
  /** Markers moved out of `applied_payments` (0 when absent). */
  applied_archived?: number;
  /**
   * What credit notes took off the total (issue 17; 0 on invoices from before them), and which:
   * balance_due = total - paid - credited. Each is applied once (`cn:<id>` in applied_payments).
   */
  credited_minor?: number;
  credit_notes?: InvoiceCreditNote[];
  /** Dunning (issue 17): set once its due date has passed with money owed; the steps taken. */
  overdue?: boolean;
  overdue_at?: Date | null;
  dunning?: InvoiceDunningStep[];
  /** Optimistic-concurrency counter: every change is conditional on the version it read. */
  version: number;
  remarks: string | null;
}

export interface InvoiceCreditNote {
  id: string;
  number: string;
  amount_minor: number;
}

export interface InvoiceDunningStep {
  key: string;
  step: 'reminder' | 'overdue' | 'final_action';
  offset_days: number;
  action: 'none' | 'suspend_entitlements' | 'suspend_subscription' | null;
  at: Date;
  skipped: boolean;
}

export type InvoiceDoc = Invoice & OutboxFields;

const lineSchema = new Schema<InvoiceLine>(
  {
    id: { type: String, required: true },
    entitlement_details_id: { type: String, default: null },
    sub_total_minor: { type: Number, required: true },
    vat_rate: { type: Number, required: true },
    discount_rate: { type: Number, required: true },
    vat_minor: { type: Number, required: true },
    discount_minor: { type: Number, required: true },
    line_total_minor: { type: Number, required: true },
    remarks: { type: String, default: null },
  },
  { _id: false },
);

export const invoiceSchema = tenantDocumentSchema<InvoiceDoc>(
  {
    invoice_number: { type: String, default: null },
    number_seq: { type: Number, default: null },
    number_key: { type: String, required: true },
    customer_id: { type: String, default: null },
    customer_entitlement_master_id: { type: String, default: null },
    information_master_id: { type: String, default: null },
    bill_number: { type: String, default: null },
    period_start: { type: String, default: null },
    period_end: { type: String, default: null },
    billing_run_id: { type: String, default: null },
    subscription_id: { type: String, default: null },
    status: { type: String, required: true },
    currency: { type: String, required: true },
    issue_date: { type: String, default: null },
    due_date: { type: String, default: null },
    details: { type: [lineSchema], default: [] },
    sub_total_minor: { type: Number, required: true },
    vat_minor: { type: Number, required: true },
    discount_minor: { type: Number, required: true },
    total_minor: { type: Number, required: true },
    paid_minor: { type: Number, required: true },
    balance_due_minor: { type: Number, required: true },
    applied_payments: { type: [String], default: [] },
    applied_archived: { type: Number, default: undefined },
    credited_minor: { type: Number, default: 0 },
    credit_notes: { type: Schema.Types.Mixed, default: [] },
    overdue: { type: Boolean, default: false },
    overdue_at: { type: Date, default: null },
    dunning: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
    remarks: { type: String, default: null },
  },
  { collection: 'invoices', outbox: true },
);
invoiceSchema.index({ tenant_id: 1, number_key: 1 }, { unique: true });
invoiceSchema.index({ tenant_id: 1, created_at: -1 });
invoiceSchema.index({ tenant_id: 1, customer_id: 1 });

export const counterSchema = new Schema<{ _id: string; tenant_id: string; seq: number }>(
  { _id: String, tenant_id: String, seq: Number },
  { collection: 'counters', versionKey: false },
);

export type NewInvoice = Omit<
  Invoice,
  'created_at' | 'updated_at' | 'applied_payments' | 'version'
>;

/** What `invoiceView` reads of an invoice. */
export const VIEW_FIELDS = [
  '_id',
  'invoice_number',
  'customer_id',
  'customer_entitlement_master_id',
  'information_master_id',
  'bill_number',
  'period_start',
  'period_end',
  'billing_run_id',
  'status',
  'currency',
  'issue_date',
  'due_date',
  'details',
  'sub_total_minor',
  'vat_minor',
  'discount_minor',
  'total_minor',
  'paid_minor',
  'balance_due_minor',
  'credited_minor',
  'credit_notes',
  'overdue',
  'dunning',
  'remarks',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
] as const;
export type InvoiceViewSource = Pick<Invoice, (typeof VIEW_FIELDS)[number]>;
