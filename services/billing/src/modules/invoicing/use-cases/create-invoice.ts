import { isDuplicateKeyError, newId } from '@ledgerline/platform';
import type { CreateInvoiceRequest, EventEnvelope } from '@ledgerline/contracts';
import type { Invoice } from '../store/invoices';
import {
  formatInvoiceNumber,
  numberingLockKey,
  repairLastNumber,
  withNextInvoiceNumber,
} from './numbering';
import {
  createdEvent,
  issuedFields,
  toLine,
  totalsOf,
  type Caller,
  type InvoiceSource,
  type InvoicingDeps,
} from './invoices';

/**
 * Invoice creation: one invoice (a client's, a checkout's, a purchase's, a period's), or a block
 * of one tenant's invoices at once (a billing run's chunk, auto_generate's months). Each is made
 * under the tenant's plan limit; issued ones take the next gapless numbers.
 */

/**
 * Creates an invoice. With `opts.id` (a deterministic id chosen by the caller, e.g. from an
 * entitlement and period, or a purchase) creation is idempotent: a repeat answers the invoice
 * made the first time and creates nothing.
 */
export async function createInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
  opts: { id?: string; source?: InvoiceSource } = {},
): Promise<Invoice> {
  const create = (id: string) =>
    deps.limits.withinLimit(
      caller.tenantId,
      'invoices',
      () => deps.invoices.countAll(caller.tenantId),
      () => insertInvoice(deps, caller, req, id, opts.source ?? {}),
    );
  const { id } = opts;
  if (id === undefined) return create(newId('inv'));
  return deps.aggregates.guard(deps.invoices.aggregate, id, async () => {
    const found = await deps.invoices.findById(caller.tenantId, id);
    if (found) {
      // made by a block whose writer was to publish its events: they may not have left
      await publishAgain(deps, caller.tenantId, [id]);
      return found;
    }
    try {
      return await create(id);
    } catch (err) {
      // a billing run's chunk inserts without this lock: its invoice may have landed meanwhile
      const made = isDuplicateKeyError(err) && (await deps.invoices.findById(caller.tenantId, id));
      if (made) return made;
      throw err;
    }
  });
}

/** A new invoice as a draft (no number yet): its lines and totals from the request. */
function draftInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
  id: string,
  source: InvoiceSource,
): Invoice {
  const currency = req.currency ?? deps.defaultCurrency;
  const details = (req.details ?? []).map((line, i) => toLine(line, currency, i));
  return {
    _id: id,
    tenant_id: caller.tenantId,
    invoice_number: null,
    number_seq: null,
    number_key: `draft:${id}`,
    customer_id: req.customer_id ?? null,
    customer_entitlement_master_id: req.customer_entitlement_master_id ?? null,
    information_master_id: req.information_master_id ?? null,
    bill_number: source.bill_number ?? null,
    period_start: source.period_start ?? req.period_start ?? null,
    period_end: source.period_end ?? req.period_end ?? null,
    billing_run_id: source.billing_run_id ?? null,
    subscription_id: source.subscription_id ?? null,
    status: 'draft',
    currency,
    issue_date: req.issue_date ?? null,
    due_date: req.due_date ?? null,
    details,
    ...totalsOf(details, 0),
    applied_payments: [],
    version: 1,
    remarks: req.remarks ?? null,
    created_by: caller.userId,
    updated_by: caller.userId,
    created_at: new Date(),
    updated_at: new Date(),
  };
}

async function insertInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
  id: string,
  source: InvoiceSource,
): Promise<Invoice> {
  const draft = draftInvoice(deps, caller, req, id, source);
  const insert = (invoice: Invoice) =>
    deps.invoices.insert(invoice, [createdEvent(invoice, caller)]);
  const saved =
    req.status !== 'draft'
      ? await withNextInvoiceNumber(deps, caller.tenantId, (seq, number) =>
          insert({ ...draft, ...issuedFields(draft, seq, number) }),
        )
      : await insert(draft);
  deps.publishSoon([saved._id]);
  return saved;
}

/**
 * Creates many invoices of one tenant at once (a billing run's chunk), each under the id chosen
 * for it: one limit check, one numbering lock and one ordered insert for the lot, so a chunk
 * costs a handful of round trips instead of a handful per invoice. Issued invoices take the next
 * numbers as a block, in the order given. An id found taken (a concurrent generation of the same
 * invoice) is not created again; the stored invoice is answered in its place.
 */
export async function createInvoices(
  deps: InvoicingDeps,
  caller: Caller,
  requests: { id: string; req: CreateInvoiceRequest; source: InvoiceSource }[],
  opts: {
    /**
     * Publish the block's events here, before answering, instead of through the invoices' outbox
     * (which costs the store one update per invoice to clear). Only for a caller that is redone
     * until it returns (a Kafka command or batch: its offset is committed afterwards): a redo
     * that finds invoices made publishes their events again, with the same ids.
     */
    publishItself?: boolean;
  } = {},
): Promise<Invoice[]> {
  if (requests.length === 0) return [];
  const publishNow = opts.publishItself ? deps.publishNow : undefined;
  const drafts = requests.map(({ id, req, source }) => ({
    draft: draftInvoice(deps, caller, req, id, source),
    issue: req.status !== 'draft',
  }));
  const { saved, born } = await deps.limits.withinLimit(
    caller.tenantId,
    'invoices',
    () => deps.invoices.countAll(caller.tenantId),
    () => insertInvoiceBlock(deps, caller, drafts, { publishedByWriter: !!publishNow }),
    drafts.length,
  );
  if (publishNow) {
    await publishNow([...born.values()].flat());
    // the ones found made: by an earlier try of this block (their events may not have left) or
    // otherwise (an outbox's, already handled: they hold no events to publish here)
    const found = saved.filter((invoice) => !born.has(invoice._id)).map((invoice) => invoice._id);
    await publishAgain(deps, caller.tenantId, found);
    return saved;
  }
  // the relay publishes the events the block was inserted with, without reading it back
  deps.publishSoon(
    saved.map((invoice) => invoice._id),
    { collection: deps.invoices.model.collection.name, outboxes: born },
  );
  return saved;
}

/**
 * Publishes again the events these invoices were inserted with when their writer was to publish
 * them itself (`createInvoices`' `publishItself`): a redo, or another caller finding one made,
 * cannot know whether they left; the same ids let consumers drop the copies. Invoices born with an
 * outbox hold none here (their relay publishes them).
 */
async function publishAgain(deps: InvoicingDeps, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0 || !deps.publishNow) return;
  await deps.publishNow(await deps.invoices.publishedOnInsert(tenantId, ids));
}

/**
 * Under the tenant's numbering lock: the issued ones of the block get the next numbers in order,
 * then one ordered insert writes the block. A refusal leaves a prefix in (numbers still gapless):
 * the counter is repaired and only the invoices still missing are tried again.
 */
async function insertInvoiceBlock(
  deps: InvoicingDeps,
  caller: Caller,
  drafts: { draft: Invoice; issue: boolean }[],
  opts: { publishedByWriter: boolean },
): Promise<{ saved: Invoice[]; born: Map<string, EventEnvelope[]> }> {
  const { tenantId } = caller;
  return deps.locks.withLock(numberingLockKey(tenantId), async () => {
    const stored = new Map<string, Invoice>();
    /** The events of the invoices this call inserted (not of those found made before). */
    const born = new Map<string, EventEnvelope[]>();
    let pending = drafts;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const last = await deps.invoices.lastNumber(tenantId);
      let seq = last;
      const block = pending.map(({ draft, issue }) => {
        if (!issue) return draft;
        seq += 1;
        return { ...draft, ...issuedFields(draft, seq, formatInvoiceNumber(seq)) };
      });
      const rows = block.map((invoice) => ({ invoice, events: [createdEvent(invoice, caller)] }));
      try {
        await deps.invoices.insertMany(rows, opts);
        if (seq > last) await deps.invoices.setLastNumber(tenantId, seq);
        for (const { invoice, events } of rows) {
          stored.set(invoice._id, invoice);
          born.set(invoice._id, events);
        }
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
        await repairLastNumber(deps.invoices, tenantId);
        const present = await Promise.all(
          pending.map(({ draft }) => deps.invoices.findById(tenantId, draft._id)),
        );
        for (const invoice of present) if (invoice) stored.set(invoice._id, invoice);
        pending = pending.filter((_, i) => !present[i]);
      }
    }
    return { saved: drafts.map(({ draft }) => stored.get(draft._id)!), born };
  });
}
