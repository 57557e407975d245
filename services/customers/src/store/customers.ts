import { Schema, type Connection } from 'mongoose';
import type { CustomerStatus, CustomerType, ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  modelOf,
  outboxInsert,
  searchClause,
  tenantDocumentSchema,
  withoutOutbox,
  type OutboxFields,
  type TenantDocument,
} from '@ledgerline/platform';
import type { CurrencyTotals } from '../domain/invoice-projection';
import { HIDDEN, listPage } from './common';

export interface Customer extends TenantDocument {
  customer_number: string | null;
  /**
   * customer_number, or a per-customer placeholder when there is none (or once deleted): unique
   * per tenant without a partial index, which FerretDB does not have.
   */
  number_key: string;
  customer_name: string;
  company_name: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  customer_type: CustomerType;
  kam_id: string | null;
  contact_person: string | null;
  status: CustomerStatus;
  is_active: boolean;
  currency: string;
  remarks: string | null;
  /** Projection of billing's invoices (see events/invoice-handlers.ts). */
  totals: CurrencyTotals[];
  last_bill_invoice_date: string | null;
  /** Counts the invoice changes that moved the totals (see use-cases/projection.ts). */
  totals_marks?: number;
  /** The totals wait for the sweeper's refresh (found again after a restart). */
  totals_stale?: boolean;
  /** Grows with every change; carried by the customer's events. */
  revision: number;
  /** Soft delete: the document stays until its CustomerDeleted event has left the outbox. */
  deleted_at: Date | null;
  /**
   * Overdue invoices whose dunning final action suspended the customer's entitlements (issue
   * 17), so that a payment event finds, by the customer's id alone, whether it lifts one.
   */
  dunning_suspended_by?: string[];
}

type CustomerDoc = Customer & OutboxFields;

/** Minor units as strings of digits, exact past 2^53; older documents hold numbers (read as-is). */
const totalsSchema = new Schema<CurrencyTotals>(
  {
    currency: { type: String, required: true },
    billed_minor: { type: Schema.Types.Mixed, required: true },
    paid_minor: { type: Schema.Types.Mixed, required: true },
    due_minor: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
);

const customerSchema = tenantDocumentSchema<CustomerDoc>(
  {
    customer_number: { type: String, default: null },
    number_key: { type: String, required: true },
    customer_name: { type: String, required: true },
    company_name: { type: String, default: null },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    address: { type: String, default: null },
    customer_type: { type: String, required: true },
    kam_id: { type: String, default: null },
    contact_person: { type: String, default: null },
    status: { type: String, required: true },
    is_active: { type: Boolean, required: true },
    currency: { type: String, required: true },
    remarks: { type: String, default: null },
    totals: { type: [totalsSchema], default: [] },
    last_bill_invoice_date: { type: String, default: null },
    totals_marks: { type: Number, default: 0 },
    totals_stale: { type: Boolean, default: false },
    revision: { type: Number, required: true },
    deleted_at: { type: Date, default: null },
    dunning_suspended_by: { type: [String], default: [] },
  },
  { collection: 'customers', outbox: true },
);
customerSchema.index({ tenant_id: 1, number_key: 1 }, { unique: true });
customerSchema.index({ tenant_id: 1, created_at: -1 });
customerSchema.index({ tenant_id: 1, kam_id: 1 });

export interface CustomerFilters {
  customer_type?: CustomerType;
  status?: CustomerStatus;
  kam_id?: string;
  is_active?: boolean;
  ids?: string[];
}

export const SEARCH_FIELDS = ['customer_name', 'email', 'phone', 'customer_number'] as const;

const live = (tenantId: string) => ({ tenant_id: tenantId, deleted_at: null });

export function customerStore(connection: Connection) {
  const model = modelOf<CustomerDoc>(connection, 'Customer', customerSchema);
  return {
    /** A deleted customer stays as a hidden document until its CustomerDeleted has left. */
    aggregate: defineAggregate({
      name: 'customers:customer',
      label: 'Customer',
      model,
      versionField: 'revision',
      live: { deleted_at: null },
    }),
    model,

    insert: outboxInsert<Customer>(model),

    /** Customers whose totals wait for a refresh (all tenants: the sweeper's restart). */
    async staleTotals(): Promise<{ tenantId: string; customerId: string }[]> {
      const docs = await model
        .find({ totals_stale: true, deleted_at: null }, { _id: 1, tenant_id: 1 })
        .lean<{ _id: string; tenant_id: string }[]>();
      return docs.map((d) => ({ tenantId: d.tenant_id, customerId: d._id }));
    },

    async findById(tenantId: string, id: string): Promise<Customer | null> {
      const doc = await model.findOne({ _id: id, ...live(tenantId) }, HIDDEN).lean<CustomerDoc>();
      return doc && withoutOutbox(doc);
    },

    /** Live or deleted: a deleted customer stays as a hidden document (customer.deleted reads it). */
    async findEvenDeleted(tenantId: string, id: string): Promise<Customer | null> {
      const doc = await model.findOne({ _id: id, tenant_id: tenantId }, HIDDEN).lean<CustomerDoc>();
      return doc && withoutOutbox(doc);
    },

    async findByIds(tenantId: string, ids: string[]): Promise<Customer[]> {
      if (ids.length === 0) return [];
      return model.find({ _id: { $in: ids }, ...live(tenantId) }, HIDDEN).lean<Customer[]>();
    },

    /** Ids of live customers whose name matches (for searching entitlements by customer name). */
    async idsByName(tenantId: string, text: string): Promise<string[]> {
      const found = await model
        .find(
          { ...live(tenantId), ...searchClause({ search: text }, ['customer_name']) },
          { _id: 1 },
        )
        .limit(1000)
        .lean<{ _id: string }[]>();
      return found.map((c) => c._id);
    },

    async list(tenantId: string, query: ListQuery, filters: CustomerFilters) {
      const filter: Record<string, unknown> = live(tenantId);
      if (filters.customer_type) filter.customer_type = filters.customer_type;
      if (filters.status) filter.status = filters.status;
      if (filters.kam_id) filter.kam_id = filters.kam_id;
      if (filters.is_active !== undefined) filter.is_active = filters.is_active;
      if (filters.ids) filter._id = { $in: filters.ids };
      return listPage<Customer>(model, filter, query, SEARCH_FIELDS, {
        customer_name: 'customer_name',
        created_at: 'created_at',
        last_bill_invoice_date: 'last_bill_invoice_date',
        customer_number: 'customer_number',
      });
    },

    /** Live customers per KAM, with a single-accumulator $group (FerretDB computes only one right). */
    /** Customers that count against the plan's `customers` limit: every one not deleted. */
    async countLive(tenantId: string): Promise<number> {
      return model.countDocuments({ tenant_id: tenantId, deleted_at: null });
    },
    async countByKam(tenantId: string, kamIds: string[]): Promise<Map<string, number>> {
      if (kamIds.length === 0) return new Map();
      const rows = await model.aggregate<{ _id: string; n: number }>([
        { $match: { ...live(tenantId), kam_id: { $in: kamIds } } },
        { $group: { _id: '$kam_id', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    },
  };
}

export type CustomerStore = ReturnType<typeof customerStore>;
