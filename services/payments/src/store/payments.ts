import { Schema, type Connection, type Model } from 'mongoose';
import type { EventEnvelope, ListQuery } from '@ledgerline/contracts';
import { outboxOnInsert, outboxSchemaFields, type OutboxFields } from '@ledgerline/platform';

export interface Payment {
  _id: string;
  tenant_id: string;
  invoice_id: string;
  customer_id: string | null;
  customer_entitlement_master_id: string | null;
  payment_date: string;
  payment_method: string;
  amount_minor: number;
  currency: string;
  transaction_id: string | null;
  status: 'pending' | 'completed' | 'failed' | 'voided';
  remarks: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}

type PaymentDoc = Payment & OutboxFields;

const paymentSchema = new Schema<PaymentDoc>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
    customer_id: { type: String, default: null },
    customer_entitlement_master_id: { type: String, default: null },
    payment_date: { type: String, required: true },
    payment_method: { type: String, required: true },
    amount_minor: { type: Number, required: true },
    currency: { type: String, required: true },
    transaction_id: { type: String, default: null },
    status: { type: String, required: true },
    remarks: { type: String, default: null },
    created_by: { type: String, default: null },
    updated_by: { type: String, default: null },
    ...outboxSchemaFields,
  },
  {
    collection: 'payments',
    versionKey: false,
    timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  },
);
paymentSchema.index({ tenant_id: 1, created_at: -1 });
paymentSchema.index({ tenant_id: 1, invoice_id: 1 });

function filterOf(tenantId: string, query: ListQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { tenant_id: tenantId };
  const f = query.filters;
  if (f.customer_id) filter.customer_id = f.customer_id;
  if (f.invoice_master_id) filter.invoice_id = f.invoice_master_id;
  if (f.status) filter.status = f.status;
  if (f.payment_method) filter.payment_method = f.payment_method;
  if (query.startDate || query.endDate) {
    filter.payment_date = {
      ...(query.startDate && { $gte: query.startDate.toISOString().slice(0, 10) }),
      ...(query.endDate && { $lte: query.endDate.toISOString().slice(0, 10) }),
    };
  }
  return filter;
}

export function paymentStore(connection: Connection) {
  const model: Model<PaymentDoc> = connection.model<PaymentDoc>('Payment', paymentSchema);
  const strip = { _outbox: 0, _outbox_pending: 0 };

  return {
    model,

    async insert(
      payment: Omit<Payment, 'created_at' | 'updated_at'>,
      events: EventEnvelope[],
    ): Promise<Payment> {
      await model.create({ ...payment, ...outboxOnInsert(events) });
      return (await model.findById(payment._id, strip).lean<Payment>()) as Payment;
    },

    async findById(tenantId: string, id: string): Promise<Payment | null> {
      return model.findOne({ _id: id, tenant_id: tenantId }, strip).lean<Payment>();
    },

    /** Amounts of the completed payments matching the query's filters (for history totals). */
    async completedAmounts(
      tenantId: string,
      query: ListQuery,
    ): Promise<{ amount_minor: number; currency: string }[]> {
      return model
        .find(
          { ...filterOf(tenantId, query), status: 'completed' },
          { amount_minor: 1, currency: 1 },
        )
        .lean<{ amount_minor: number; currency: string }[]>();
    },

    async list(tenantId: string, query: ListQuery): Promise<{ results: Payment[]; count: number }> {
      const filter = filterOf(tenantId, query);
      const [results, count] = await Promise.all([
        model
          .find(filter, strip)
          .sort({ created_at: -1, _id: -1 })
          .skip((query.page - 1) * query.perPage)
          .limit(query.perPage)
          .lean<Payment[]>(),
        model.countDocuments(filter),
      ]);
      return { results, count };
    },
  };
}

export type PaymentStore = ReturnType<typeof paymentStore>;
