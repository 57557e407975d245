import { Schema, type Connection } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import {
  deterministicId,
  findPage,
  insertNew,
  insertPlain,
  isDuplicateKeyError,
  modelOf,
  searchClause,
} from '@ledgerline/platform';
import type { EntryDraft, EntryKind, EntryLine } from '../domain/entry';

export interface LedgerEntry extends EntryDraft {
  _id: string;
  tenant_id: string;
  /** The event that posted it (null when posted by an API call). */
  event_id: string | null;
  event_type: string | null;
  amount_minor: number;
  created_by: string | null;
  created_at: Date;
}

const lineSchema = new Schema<EntryLine>(
  { account: String, debit_minor: Number, credit_minor: Number },
  { _id: false },
);

const entrySchema = new Schema<LedgerEntry>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    source_key: { type: String, required: true },
    kind: { type: String, required: true },
    description: { type: String, required: true },
    currency: { type: String, required: true },
    customer_id: { type: String, default: null },
    invoice_id: { type: String, default: null },
    lines: { type: [lineSchema], required: true },
    amount_minor: { type: Number, required: true },
    event_id: { type: String, default: null },
    event_type: { type: String, default: null },
    created_by: { type: String, default: null },
    created_at: { type: Date, required: true },
  },
  { collection: 'ledger_entries', versionKey: false },
);
entrySchema.index({ tenant_id: 1, created_at: -1 });
entrySchema.index({ tenant_id: 1, customer_id: 1 });

/**
 * The id is derived from (tenant, source key), so the primary key itself (unique on every server,
 * even before secondary indexes are built) refuses a second posting of the same source.
 */
export function entryId(tenantId: string, sourceKey: string): string {
  return deterministicId('txn', [tenantId, sourceKey], { separator: '|' });
}

/** Where an entry came from: the event that posted it, or the user who did. */
export interface EntryOrigin {
  eventId?: string;
  eventType?: string;
  createdBy?: string | null;
  at?: Date;
}

function entryDocument(tenantId: string, entry: EntryDraft, origin: EntryOrigin): LedgerEntry {
  return {
    ...entry,
    _id: entryId(tenantId, entry.source_key),
    tenant_id: tenantId,
    amount_minor: entry.lines.reduce((s, l) => s + l.debit_minor, 0),
    event_id: origin.eventId ?? null,
    event_type: origin.eventType ?? null,
    created_by: origin.createdBy ?? null,
    created_at: origin.at ?? new Date(),
  };
}

const SORTABLE = new Set(['created_at', 'amount_minor', 'kind', 'currency', 'description']);
const SEARCHABLE = ['description', 'kind', 'customer_id', 'invoice_id', 'source_key'];

/** Append-only: entries are inserted and never updated; a correction is another entry. */
export function ledgerEntryStore(connection: Connection) {
  const model = modelOf<LedgerEntry>(connection, 'LedgerEntry', entrySchema);

  return {
    model,

    /** 'duplicate' when this tenant's ledger already holds an entry for the source key. */
    async append(
      tenantId: string,
      entry: EntryDraft,
      origin: EntryOrigin,
    ): Promise<{ result: 'posted' | 'duplicate'; entry: LedgerEntry }> {
      const doc = entryDocument(tenantId, entry, origin);
      try {
        await insertPlain(model, doc);
        return { result: 'posted', entry: doc };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await model
          .findOne({ _id: doc._id, tenant_id: tenantId })
          .lean<LedgerEntry>();
        return { result: 'duplicate', entry: existing ?? doc };
      }
    },

    /** Many entries in one insert (a consumer batch's postings); those already posted are skipped. */
    async appendMany(
      postings: { tenantId: string; entry: EntryDraft; origin: EntryOrigin }[],
    ): Promise<void> {
      await insertNew(
        model,
        postings.map((p) => entryDocument(p.tenantId, p.entry, p.origin)),
      );
    },

    async findBySource(tenantId: string, sourceKey: string): Promise<LedgerEntry | null> {
      return model
        .findOne({ _id: entryId(tenantId, sourceKey), tenant_id: tenantId })
        .lean<LedgerEntry>();
    },

    async list(
      tenantId: string,
      query: ListQuery,
    ): Promise<{ results: LedgerEntry[]; count: number }> {
      const filter: Record<string, unknown> = { tenant_id: tenantId };
      if (query.startDate || query.endDate) {
        filter.created_at = {
          ...(query.startDate && { $gte: query.startDate }),
          ...(query.endDate && { $lte: query.endDate }),
        };
      }
      for (const key of ['kind', 'currency', 'customer_id', 'invoice_id'] as const) {
        const value = query.filters[key];
        if (value) filter[key] = key === 'currency' ? value.toUpperCase() : value;
      }
      Object.assign(filter, searchClause(query, SEARCHABLE));
      const sort: Record<string, 1 | -1> = {};
      for (const s of query.sort) if (SORTABLE.has(s.field)) sort[s.field] = s.direction;
      if (Object.keys(sort).length === 0) sort.created_at = -1;
      sort._id = 1;
      return findPage<LedgerEntry>(model, filter, sort, query);
    },

    /** Every entry of the tenant up to `end` (metrics fold them in memory). */
    async upTo(tenantId: string, end: Date): Promise<LedgerEntry[]> {
      return model
        .find({ tenant_id: tenantId, created_at: { $lte: end } })
        .sort({ created_at: 1, _id: 1 })
        .lean<LedgerEntry[]>();
    },

    async forCustomer(tenantId: string, customerId: string): Promise<LedgerEntry[]> {
      return model.find({ tenant_id: tenantId, customer_id: customerId }).lean<LedgerEntry[]>();
    },

    async deleteTenant(tenantId: string): Promise<void> {
      await model.deleteMany({ tenant_id: tenantId });
    },
  };
}
export type LedgerEntryStore = ReturnType<typeof ledgerEntryStore>;
export type { EntryKind };
