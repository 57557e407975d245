import { Schema, type Connection } from 'mongoose';
import type { ListQuery } from '@ledgerline/contracts';
import {
  defineAggregate,
  findPage,
  insertWithOutbox,
  isDuplicateKeyError,
  modelOf,
  tenantDocumentSchema,
  WITHOUT_OUTBOX,
  type OutboxFields,
  type TenantDocument,
  type Unsaved,
} from '@ledgerline/platform';
import { counterSchema } from './invoice-schema';
import { storedNumberSeries } from './number-series';

/**
 * Credit notes (issue 17), `credit_notes`: born `pending` without a number, held against the
 * invoice's balance by the payments service, then `issued` with the tenant's next CN number and
 * CreditNoteIssued in the same write. `number_key` is the number, or `pending:<id>` before it, so
 * one unique index keeps numbers unique per tenant. Counter `<tenant>:credit_note` in `counters`.
 * A note paid for by a subscription's credit balance whose hold payments refused ends `returned`
 * (issue 18): never numbered, its amount back on the balance (SubscriptionCreditReturned in the
 * same write); it stays stored so a second refusal finds it, but clients never see it.
 */
export type CreditNoteStatus = 'pending' | 'issued' | 'returned';
/** A note as clients read it (routes, documents): pending or issued, never returned. */
export type ShownCreditNote = CreditNote & { status: 'pending' | 'issued' };

export interface CreditNote extends TenantDocument {
  status: CreditNoteStatus;
  credit_note_number: string | null;
  number_seq: number | null;
  number_key: string;
  invoice_id: string;
  invoice_number: string | null;
  customer_id: string | null;
  currency: string;
  /** The invoice's total when the note was asked for: what the payments service judges it by. */
  invoice_total_minor: number;
  amount_minor: number;
  vat_minor: number;
  net_minor: number;
  /** `description`: the invoice line's remarks (or `Line n`), as its documents print it. */
  lines: { invoice_detail_id: string; amount_minor: number; description?: string }[];
  reason: string;
  issue_date: string | null;
  /**
   * The provider subscription whose credit balance the note spends (issue 18), null for notes
   * asked for through the API: a refused hold gives the amount back to that balance.
   */
  subscription_id?: string | null;
  version: number;
}

const NOT_RETURNED = { status: { $ne: 'returned' } };

const creditNoteSchema = tenantDocumentSchema<CreditNote & OutboxFields>(
  {
    status: { type: String, required: true },
    credit_note_number: { type: String, default: null },
    number_seq: { type: Number, default: null },
    number_key: { type: String, required: true },
    invoice_id: { type: String, required: true },
    invoice_number: { type: String, default: null },
    customer_id: { type: String, default: null },
    currency: { type: String, required: true },
    invoice_total_minor: { type: Number, required: true },
    amount_minor: { type: Number, required: true },
    vat_minor: { type: Number, required: true },
    net_minor: { type: Number, required: true },
    lines: { type: Schema.Types.Mixed, default: [] },
    reason: { type: String, required: true },
    issue_date: { type: String, default: null },
    subscription_id: { type: String, default: null },
    version: { type: Number, default: 1 },
  },
  { collection: 'credit_notes', outbox: true },
);
creditNoteSchema.index({ tenant_id: 1, number_key: 1 }, { unique: true });
creditNoteSchema.index({ tenant_id: 1, created_at: -1 });

const counterId = (tenantId: string) => `${tenantId}:credit_note`;

export function creditNoteStore(connection: Connection) {
  const model = modelOf<CreditNote & OutboxFields>(connection, 'CreditNote', creditNoteSchema);
  const counters = modelOf(connection, 'Counter', counterSchema);
  return {
    model,
    aggregate: defineAggregate({ name: 'credit-note', label: 'Credit note', model }),

    /** A pending credit note as stored; null when its id exists (the same Idempotency-Key again). */
    async insertPending(doc: Unsaved<CreditNote>): Promise<CreditNote | null> {
      try {
        return await insertWithOutbox<CreditNote>(model, doc, []);
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    },
    /** A note as clients see it: a returned one (never issued) is not found. */
    findById(tenantId: string, id: string): Promise<ShownCreditNote | null> {
      return model
        .findOne({ _id: id, tenant_id: tenantId, ...NOT_RETURNED }, WITHOUT_OUTBOX)
        .lean<ShownCreditNote>()
        .exec();
    },
    /** The note as stored, returned ones too (an Idempotency-Key's note, the flow's steps). */
    findStored(tenantId: string, id: string): Promise<CreditNote | null> {
      return model
        .findOne({ _id: id, tenant_id: tenantId }, WITHOUT_OUTBOX)
        .lean<CreditNote>()
        .exec();
    },
    /** Pending notes asked for before `before`, across tenants (the sweep that finishes them). */
    pendingBefore(before: Date, limit: number): Promise<CreditNote[]> {
      return model
        .find({ status: 'pending', created_at: { $lt: before } }, WITHOUT_OUTBOX)
        .limit(limit)
        .lean<CreditNote[]>()
        .exec();
    },
    async list(
      tenantId: string,
      query: Pick<ListQuery, 'page' | 'perPage'>,
      filter: { invoice_id?: string; customer_id?: string },
    ) {
      return findPage<ShownCreditNote>(
        model,
        {
          tenant_id: tenantId,
          ...NOT_RETURNED,
          ...(filter.invoice_id && { invoice_id: filter.invoice_id }),
          ...(filter.customer_id && { customer_id: filter.customer_id }),
        },
        { created_at: -1, _id: -1 },
        query,
      );
    },
    /** A pending note refused by the payments service: it never had a number, so no gap. */
    async removePending(tenantId: string, id: string): Promise<void> {
      await model.deleteOne({ _id: id, tenant_id: tenantId, status: 'pending' });
    },

    /** The credit notes' own series (numbering.ts), counter `<tenant>:credit_note`. */
    series: storedNumberSeries(counters, model, 'credit_note'),
    async deleteTenant(tenantId: string): Promise<void> {
      await Promise.all([
        model.deleteMany({ tenant_id: tenantId }),
        counters.deleteOne({ _id: counterId(tenantId) }),
      ]);
    },
  };
}
export type CreditNoteStore = ReturnType<typeof creditNoteStore>;
