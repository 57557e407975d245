import { Schema, type Connection } from 'mongoose';
import type { EventEnvelope, ListQuery } from '@ledgerline/contracts';
import {
  findPage,
  insertWithOutbox,
  modelOf,
  outboxOnInsert,
  outboxSchemaFields,
  searchClause,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type SearchQuery,
} from '@ledgerline/platform';
import type { CreditTransactionType } from '../domain/credit-math';

/** One change of a tenant's credit balance; never changed after it is written (its outbox aside). */
export interface CreditTransaction {
  _id: string;
  tenant_id: string;
  /** 1, 2, 3 ... per tenant; unique with tenant_id: the slot this change took in the balance's history. */
  seq: number;
  /** Unique per tenant: a grant or purchase retried or redelivered finds its first write. */
  idem_key: string;
  transaction_type: CreditTransactionType;
  amount: number;
  balance_after: number;
  description: string;
  operation_type: string | null;
  value_minor: number | null;
  currency: string | null;
  invoice_id: string | null;
  created_by: string | null;
  created_at: Date;
}

type CreditTransactionDoc = CreditTransaction & OutboxFields;

const schema = new Schema<CreditTransactionDoc>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    seq: { type: Number, required: true },
    idem_key: { type: String, required: true },
    transaction_type: { type: String, required: true },
    amount: { type: Number, required: true },
    balance_after: { type: Number, required: true },
    description: { type: String, default: '' },
    operation_type: { type: String, default: null },
    value_minor: { type: Number, default: null },
    currency: { type: String, default: null },
    invoice_id: { type: String, default: null },
    created_by: { type: String, default: null },
    created_at: { type: Date, required: true },
    ...outboxSchemaFields,
  },
  { collection: 'credit_transactions', versionKey: false },
);
schema.index({ tenant_id: 1, seq: 1 }, { unique: true });
schema.index({ tenant_id: 1, idem_key: 1 }, { unique: true });
schema.index({ tenant_id: 1, created_at: -1 });

/** What a search of transactions reads; usage logs (deductions only) leave out the type. */
export const TRANSACTION_SEARCH = ['description', 'transaction_type', 'operation_type'] as const;
export const USAGE_SEARCH = ['description', 'operation_type'] as const;

export interface TransactionFilter {
  types?: CreditTransactionType[];
  from?: Date;
  to?: Date;
  search?: { query: SearchQuery; fields: readonly string[] };
}

export function creditTransactionStore(connection: Connection) {
  const model = modelOf<CreditTransactionDoc>(connection, 'CreditTransaction', schema);

  function filterOf(tenantId: string, f: TransactionFilter): Record<string, unknown> {
    const filter: Record<string, unknown> = { tenant_id: tenantId };
    if (f.types) filter.transaction_type = f.types.length === 1 ? f.types[0] : { $in: f.types };
    if (f.from || f.to)
      filter.created_at = { ...(f.from && { $gte: f.from }), ...(f.to && { $lte: f.to }) };
    if (f.search) Object.assign(filter, searchClause(f.search.query, f.search.fields));
    return filter;
  }

  return {
    model,

    /** Inserts with its event; a duplicate (tenant, seq) or (tenant, idem_key) throws E11000. */
    async insert(tx: CreditTransaction, events: EventEnvelope[]): Promise<void> {
      await insertWithOutbox<CreditTransaction>(model, tx, events);
    },

    /**
     * Inserts in order; on a duplicate key the ones before it are written and it throws E11000.
     * Written as built (`lean`: no mongoose document per row): a CreditTransaction holds every
     * field of the schema in its type, so nothing is left to cast or default.
     */
    async insertInOrder(txs: { tx: CreditTransaction; events: EventEnvelope[] }[]): Promise<void> {
      if (txs.length === 0) return;
      await model.insertMany(
        txs.map(({ tx, events }) => ({ ...tx, ...outboxOnInsert(events) })),
        { ordered: true, lean: true },
      );
    },

    /** By `_id` (the indexed look-up), scoped to its tenant: another tenant's answers null. */
    async findById(tenantId: string, id: string): Promise<CreditTransaction | null> {
      return model
        .findOne({ _id: id, tenant_id: tenantId }, WITHOUT_OUTBOX)
        .lean<CreditTransaction>();
    },

    async findByIdemKey(tenantId: string, idemKey: string): Promise<CreditTransaction | null> {
      return model
        .findOne({ tenant_id: tenantId, idem_key: idemKey }, WITHOUT_OUTBOX)
        .lean<CreditTransaction>();
    },

    /** Transactions written beyond `seq`, oldest first: what a crash left the account behind on. */
    async after(tenantId: string, seq: number): Promise<CreditTransaction[]> {
      return model
        .find({ tenant_id: tenantId, seq: { $gt: seq } }, WITHOUT_OUTBOX)
        .sort({ seq: 1 })
        .lean<CreditTransaction[]>();
    },

    async list(
      tenantId: string,
      f: TransactionFilter,
      page: Pick<ListQuery, 'page' | 'perPage'>,
    ): Promise<{ results: CreditTransaction[]; count: number }> {
      return findPage<CreditTransaction>(model, filterOf(tenantId, f), { seq: -1 }, page);
    },

    /** Every transaction of a window (analytics), amounts and types only. */
    async inWindow(tenantId: string, from: Date) {
      return model
        .find(filterOf(tenantId, { from }), { transaction_type: 1, amount: 1, created_at: 1 })
        .lean<Pick<CreditTransaction, 'transaction_type' | 'amount' | 'created_at'>[]>();
    },
  };
}
export type CreditTransactionStore = ReturnType<typeof creditTransactionStore>;
export const creditTransactionLockKey = (id: string) => `credit-tx:${id}`;
