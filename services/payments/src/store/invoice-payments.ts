import { Schema, type Connection } from 'mongoose';
import {
  insertPlain,
  isDuplicateKeyError,
  lockedAggregate,
  modelOf,
  setBounded,
} from '@ledgerline/platform';

/**
 * An invoice's balance as the payments service holds it: what its payments hold of it, so that
 * deciding a payment reads one small document by id (FerretDB's SQLite backend scans a collection
 * for any other filter). Written under the invoice's balance lock, an id before its payment: an id
 * whose payment was never written (a crash between the two) holds nothing, while a payment is
 * never left uncounted. A payment is listed by id (`payment_ids`) until a decision reads it, then
 * folded into `folded_minor`, the sum of what the folded payments hold: the document's size does
 * not grow with the invoice's payments (it did: an invoice paid 300 times carried 300 ids and
 * amounts in every read and write). Before any change to a payment (see payment-changes.ts) the
 * list forgets it under the same lock: a folded payment's holding comes off the sum and its id is
 * listed again, so the next decision reads it as it is then.
 */
interface InvoicePayments {
  _id: string;
  tenant_id: string;
  invoice_id: string;
  /** Payments not folded yet: their ids, each read by the next decision. */
  payment_ids: string[];
  /** Lists written before folding (kept only by those): what some listed payments hold. */
  held?: Record<string, number>;
  /** What the folded payments hold together (0 when absent); never below 0. */
  folded_minor?: number;
  /**
   * Credit notes on the invoice (billing's, issue 17), by credit note id: what each takes off what
   * the invoice owes. Decided here, under the same lock as payments, so a payment and a credit
   * note racing each other cannot together take more than the invoice's total.
   */
  credits?: Record<string, number>;
  /** Counts the document's writes (all under the lock): what a process's memory is checked by. */
  seq?: number;
}

export interface ListedPayments {
  /** Payments listed by id (not folded). */
  ids: string[];
  /** What the folded payments hold together. */
  foldedMinor: number;
}

export interface InvoiceBalanceParts extends ListedPayments {
  /** What some listed payments hold, by id (lists written before folding); the others are read. */
  held: Record<string, number>;
  credits: Record<string, number>;
  /** The document's write count when read (0 for one never written). */
  seq: number;
}

/**
 * Says that every invoice with payments has its list (completeInvoiceLists wrote the lists of
 * invoices paid before lists existed): from then on an invoice without a list has no payments.
 */
const LISTS_COMPLETE_ID = 'invoice_payments.lists_complete';

/** Invoices whose last payment this process wrote, remembered at most. */
const WRITTEN_REMEMBERED = 10_000;

const invoicePaymentsSchema = new Schema<InvoicePayments>(
  {
    _id: { type: String, required: true },
    tenant_id: { type: String, required: true },
    invoice_id: { type: String, required: true },
    payment_ids: { type: [String], default: [] },
    held: { type: Schema.Types.Mixed, default: undefined },
    folded_minor: { type: Number, default: undefined },
    credits: { type: Schema.Types.Mixed, default: undefined },
    seq: { type: Number, default: undefined },
  },
  { collection: 'invoice_payments', versionKey: false },
);
invoicePaymentsSchema.index({ tenant_id: 1 });

export function invoicePaymentsStore(connection: Connection) {
  const model = modelOf<InvoicePayments>(connection, 'InvoicePayments', invoicePaymentsSchema);
  const idOf = (tenantId: string, invoiceId: string) => `${tenantId}:${invoiceId}`;
  /**
   * By invoice, the payments this process wrote after its last list write, and what each holds:
   * the next decision here counts them without reading them while the list's `seq` says that
   * nothing was written since (a change of a payment forgets it first, which counts as a write).
   */
  const written = new Map<string, { seq: number; held: Record<string, number> }>();
  const markers = connection.collection<{ _id: string; at: Date }>('store_migrations');
  let complete = false;
  return {
    model,
    /** Whether the marker is there (and so every invoice with payments has its list). */
    async listsComplete(): Promise<boolean> {
      complete ||= (await markers.findOne({ _id: LISTS_COMPLETE_ID })) !== null;
      return complete;
    },
    /** Writes the marker, once every invoice with payments has its list. */
    async markListsComplete(): Promise<void> {
      await markers.updateOne(
        { _id: LISTS_COMPLETE_ID },
        { $setOnInsert: { at: new Date() } },
        { upsert: true },
      );
      complete = true;
    },
    /**
     * Lists payments recorded before the invoice had a list; a list written meanwhile stays.
     * Answers whether the list was written here.
     */
    async listOlder(tenantId: string, invoiceId: string, paymentIds: string[]): Promise<boolean> {
      const result = await model.updateOne(
        { _id: idOf(tenantId, invoiceId) },
        {
          $setOnInsert: {
            tenant_id: tenantId,
            invoice_id: invoiceId,
            payment_ids: paymentIds,
            seq: 0,
          },
        },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    },
    /**
     * The invoice's balance: decisions on it hold `payments:invoice:<tenant>:<invoice>` (the id is
     * `<tenant>:<invoice>`) through the aggregate primitive's guard; the document itself has no
     * version (it is written only under that lock) and no outbox.
     */
    aggregate: lockedAggregate({ name: 'payments:invoice', label: 'Invoice', model }),
    idOf,
    /**
     * The invoice's payments; for an invoice without a list, none once the lists are complete,
     * else null (its payments may predate the lists: they are looked up by invoice id).
     */
    async read(tenantId: string, invoiceId: string): Promise<InvoiceBalanceParts | null> {
      const doc = await model
        .findOne(
          { _id: idOf(tenantId, invoiceId), tenant_id: tenantId },
          { payment_ids: 1, held: 1, folded_minor: 1, credits: 1, seq: 1 },
        )
        .lean<Pick<InvoicePayments, 'payment_ids' | 'held' | 'folded_minor' | 'credits' | 'seq'>>();
      return doc
        ? {
            ids: doc.payment_ids ?? [],
            held: doc.held ?? {},
            foldedMinor: doc.folded_minor ?? 0,
            credits: doc.credits ?? {},
            seq: doc.seq ?? 0,
          }
        : complete
          ? { ids: [], held: {}, foldedMinor: 0, credits: {}, seq: 0 }
          : null;
    },
    /**
     * Whether the invoice may have no list: the lists are complete and this process has not
     * written the invoice's (as far as it remembers).
     */
    mayBeUnlisted(tenantId: string, invoiceId: string): boolean {
      return complete && !written.has(idOf(tenantId, invoiceId));
    },
    /**
     * Creates the invoice's list with its first payment (its `seq` then 1); false when the invoice
     * has a list already. Callers hold the invoice's balance lock.
     */
    async createWith(tenantId: string, invoiceId: string, paymentId: string): Promise<boolean> {
      try {
        await insertPlain(model, {
          _id: idOf(tenantId, invoiceId),
          tenant_id: tenantId,
          invoice_id: invoiceId,
          payment_ids: [paymentId],
          seq: 1,
        });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    /** What the payment this process wrote holds, if the list is still at the `seq` it wrote. */
    writtenAt(tenantId: string, invoiceId: string, seq: number): Record<string, number> {
      const mine = written.get(idOf(tenantId, invoiceId));
      return mine && mine.seq === seq ? mine.held : {};
    },
    /** The payments in `held` (what each holds, by id) were written after the list write `seq`. */
    wrote(tenantId: string, invoiceId: string, seq: number, held: Record<string, number>) {
      setBounded(written, idOf(tenantId, invoiceId), { seq, held }, WRITTEN_REMEMBERED);
    },
    /** Records a credit note's amount; callers hold the invoice's balance lock. */
    async holdCredit(tenantId: string, invoiceId: string, creditNoteId: string, minor: number) {
      await model.updateOne(
        { _id: idOf(tenantId, invoiceId) },
        {
          $set: { tenant_id: tenantId, invoice_id: invoiceId, [`credits.${creditNoteId}`]: minor },
          $setOnInsert: { payment_ids: [] },
          $inc: { seq: 1 },
        },
        { upsert: true },
      );
    },
    /**
     * Sets the invoice's list read at `seq`; callers hold the invoice's balance lock. Answers the
     * list's new `seq`.
     */
    async write(
      tenantId: string,
      invoiceId: string,
      listed: ListedPayments,
      seq: number,
    ): Promise<number> {
      await model.updateOne(
        { _id: idOf(tenantId, invoiceId) },
        {
          $set: {
            tenant_id: tenantId,
            invoice_id: invoiceId,
            payment_ids: listed.ids,
            folded_minor: listed.foldedMinor,
            seq: seq + 1,
          },
          $unset: { held: 1 },
        },
        { upsert: true },
      );
      return seq + 1;
    },
    /**
     * Forgets what one payment holds, before it changes; callers hold the invoice's balance lock.
     * A listed payment only loses what was remembered of it; a folded one (any other payment of
     * the invoice: each was listed before it was written) takes `heldMinor`, what it holds until
     * the change, off the sum and is listed again. An invoice without a list (its payments predate
     * the lists, which are not complete yet) has nothing to forget.
     */
    async forget(tenantId: string, invoiceId: string, paymentId: string, heldMinor: number) {
      const _id = idOf(tenantId, invoiceId);
      const listed = await model.updateOne(
        { _id, payment_ids: paymentId },
        { $unset: { [`held.${paymentId}`]: 1 }, $inc: { seq: 1 } },
      );
      if (listed.matchedCount === 1) return;
      await model.updateOne(
        { _id },
        { $push: { payment_ids: paymentId }, $inc: { folded_minor: -heldMinor, seq: 1 } },
      );
    },
  };
}

export type InvoicePaymentsStore = ReturnType<typeof invoicePaymentsStore>;
