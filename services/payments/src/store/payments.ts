import { Schema, type Connection } from 'mongoose';
import { sumMinor, type EventEnvelope } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  modelOf,
  outboxOnInsert,
  searchClause,
  insertPlain,
  tenantDocumentSchema,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type SearchExtras,
  type SearchFields,
  type SearchQuery,
  type TenantDocument,
} from '@ledgerline/platform';
import { refundedMinor } from '../domain/payment-effects';

export interface Refund {
  id: string;
  amount_minor: number;
  reason: string | null;
  created_by: string | null;
  created_at: Date;
}

export type PaymentStatus = 'pending' | 'completed' | 'failed' | 'voided';

export interface Payment extends TenantDocument {
  invoice_id: string;
  customer_id: string | null;
  customer_entitlement_master_id: string | null;
  /** Seed 002 payment details: set on a detail added to another payment (its master). */
  master_payment_id: string | null;
  payment_date: string;
  payment_method: string;
  amount_minor: number;
  currency: string;
  transaction_id: string | null;
  status: PaymentStatus;
  remarks: string | null;
  completed_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
  refunds: Refund[];
  /** Billing's confirmations ('payment', 'payment_voided', 'refund:<id>'): reconciliation's input. */
  billing_seen: string[];
  /** False while billing still owes a confirmation: what the reconciliation scan reads. */
  reconciled: boolean;
  /** Optimistic-concurrency counter: every change is conditional on the version it read. */
  version: number;
}

type PaymentDoc = Payment & OutboxFields;

const refundSchema = new Schema<Refund>(
  {
    id: { type: String, required: true },
    amount_minor: { type: Number, required: true },
    reason: { type: String, default: null },
    created_by: { type: String, default: null },
    created_at: { type: Date, required: true },
  },
  { _id: false },
);

const paymentSchema = tenantDocumentSchema<PaymentDoc>(
  {
    invoice_id: { type: String, required: true },
    customer_id: { type: String, default: null },
    customer_entitlement_master_id: { type: String, default: null },
    master_payment_id: { type: String, default: null },
    payment_date: { type: String, required: true },
    payment_method: { type: String, required: true },
    amount_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    transaction_id: { type: String, default: null },
    status: { type: String, required: true },
    remarks: { type: String, default: null },
    completed_at: { type: Date, default: null },
    voided_at: { type: Date, default: null },
    void_reason: { type: String, default: null },
    refunds: { type: [refundSchema], default: [] },
    billing_seen: { type: [String], default: [] },
    reconciled: { type: Boolean, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'payments', outbox: true },
);
paymentSchema.index({ tenant_id: 1, created_at: -1 });
paymentSchema.index({ tenant_id: 1, invoice_id: 1 });
paymentSchema.index({ tenant_id: 1, customer_id: 1 });
paymentSchema.index({ reconciled: 1 });

export type NewPayment = Omit<
  Payment,
  | 'created_at'
  | 'updated_at'
  | 'version'
  | 'refunds'
  | 'billing_seen'
  | 'reconciled'
  | 'voided_at'
  | 'void_reason'
>;

/** A free-text search of payments: the fields it reads and conditions for other names. */
export interface PaymentSearch {
  query: SearchQuery;
  fields: SearchFields;
  extras?: SearchExtras;
}

/** What a payment list asks the store for (use-cases/search.ts builds it from the spec's query). */
export interface PaymentFilter {
  search?: PaymentSearch;
  customer_id?: string;
  invoice_id?: string;
  status?: string;
  payment_method?: string;
  master_payment_id?: string;
  /** Payment details only: a master that holds no money itself is not one of its details. */
  holdingMoney?: boolean;
  /** Seed 002's payment list: masters, each showing what its details received. */
  mastersOnly?: boolean;
  /** Calendar days of `payment_date`, inclusive. */
  start_date?: string;
  end_date?: string;
}

function mongoFilter(tenantId: string, f: PaymentFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = { tenant_id: tenantId };
  if (f.customer_id) filter.customer_id = f.customer_id;
  if (f.invoice_id) filter.invoice_id = f.invoice_id;
  if (f.status) filter.status = f.status;
  if (f.payment_method) filter.payment_method = f.payment_method;
  if (f.holdingMoney) filter.amount_minor = { $gt: 0 };
  if (f.mastersOnly) filter.master_payment_id = null;
  // a master is the first detail of itself
  if (f.master_payment_id)
    filter.$or = [{ _id: f.master_payment_id }, { master_payment_id: f.master_payment_id }];
  // under $and: a payment-details query already has its own $or
  const search = f.search && searchClause(f.search.query, f.search.fields, f.search.extras);
  if (search) filter.$and = [search];
  if (f.start_date || f.end_date) {
    filter.payment_date = {
      ...(f.start_date && { $gte: f.start_date }),
      ...(f.end_date && { $lte: f.end_date }),
    };
  }
  return filter;
}

/** Every query takes the tenant id: there is no way to read a payment without naming its tenant. */
export function paymentStore(connection: Connection) {
  const model = modelOf<PaymentDoc>(connection, 'Payment', paymentSchema);

  return {
    model,
    /** Its lock key is `payment:<id>`: its writers and its outbox relay share it. */
    aggregate: defineAggregate({ name: 'payment', label: 'Payment', model }),

    /** A unique insert: a payment with the same id (a deterministic one) raises a duplicate key. */
    async insert(payment: NewPayment, events: EventEnvelope[]): Promise<Payment> {
      // as stored, without reading it back (this runs under the invoice's balance lock)
      const { _outbox, _outbox_pending, ...stored } = await insertPlain<PaymentDoc>(model, {
        ...payment,
        voided_at: null,
        void_reason: null,
        refunds: [],
        billing_seen: [],
        // a payment master holding no money (seed 002's two-step form) has nothing to reconcile
        reconciled: payment.status !== 'completed' || payment.amount_minor === 0,
        version: 1,
        ...outboxOnInsert(events),
      });
      return stored;
    },

    async findById(tenantId: string, id: string): Promise<Payment | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }, WITHOUT_OUTBOX).lean<Payment>();
    },

    /** Every payment with its invoice and tenant (a scan of all tenants' payments). */
    async *allOnInvoices(): AsyncGenerator<Pick<Payment, '_id' | 'tenant_id' | 'invoice_id'>> {
      const cursor = model.collection.find(
        {},
        { projection: { _id: 1, tenant_id: 1, invoice_id: 1 }, batchSize: 1000 },
      );
      for await (const row of cursor)
        yield row as unknown as Pick<Payment, '_id' | 'tenant_id' | 'invoice_id'>;
    },

    /** The ids of every payment recorded against one invoice (a scan: see invoice-payments.ts). */
    async idsForInvoice(tenantId: string, invoiceId: string): Promise<string[]> {
      const rows = await model
        .find({ tenant_id: tenantId, invoice_id: invoiceId }, { _id: 1 })
        .lean<Pick<Payment, '_id'>[]>();
      return rows.map((r) => r._id);
    },

    /** What the details added to each master received: completed details, net of refunds. */
    async receivedByDetails(tenantId: string, masterIds: string[]): Promise<Map<string, number>> {
      const received = new Map<string, number>();
      if (masterIds.length === 0) return received;
      const details = await model
        .find(
          { tenant_id: tenantId, master_payment_id: { $in: masterIds }, status: 'completed' },
          { master_payment_id: 1, amount_minor: 1, refunds: 1 },
        )
        .lean<Pick<Payment, 'master_payment_id' | 'amount_minor' | 'refunds'>[]>();
      for (const d of details) {
        const master = d.master_payment_id as string;
        received.set(
          master,
          sumMinor([received.get(master) ?? 0, d.amount_minor, -refundedMinor(d)]),
        );
      }
      return received;
    },

    /** Completed payments matching the filter (for totals): amounts, refunds and customers only. */
    async completed(
      tenantId: string,
      f: PaymentFilter,
    ): Promise<Pick<Payment, 'customer_id' | 'amount_minor' | 'currency' | 'refunds'>[]> {
      return model
        .find(
          // every payment holding money counts, the details added to masters included
          {
            ...mongoFilter(tenantId, { ...f, mastersOnly: false }),
            status: 'completed',
            amount_minor: { $gt: 0 },
          },
          { customer_id: 1, amount_minor: 1, currency: 1, refunds: 1 },
        )
        .lean<Pick<Payment, 'customer_id' | 'amount_minor' | 'currency' | 'refunds'>[]>();
    },

    async list(
      tenantId: string,
      f: PaymentFilter,
      page: { page: number; perPage: number },
    ): Promise<{ results: Payment[]; count: number }> {
      const filter = mongoFilter(tenantId, f);
      return findPage<Payment>(model, filter, { created_at: -1, _id: -1 }, page);
    },

    /** Payments billing still owes a confirmation for; one tenant's, or every tenant's (null). */
    async unreconciled(tenantId: string | null, limit = 1000): Promise<Payment[]> {
      return model
        .find(
          { reconciled: false, ...(tenantId !== null && { tenant_id: tenantId }) },
          WITHOUT_OUTBOX,
        )
        .sort({ created_at: 1 })
        .limit(limit)
        .lean<Payment[]>();
    },
  };
}

export type PaymentStore = ReturnType<typeof paymentStore>;
