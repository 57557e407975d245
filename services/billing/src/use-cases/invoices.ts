import {
  AppError,
  buildEvent,
  parseRate,
  toMinor,
  type CreateInvoiceRequest,
  type EventEnvelope,
  type InvoiceLineInput,
  type ListQuery,
} from '@ledgerline/contracts';
import {
  isDuplicateKeyError,
  newId,
  type AggregateLocks,
  type AggregateWriter,
  type PlanLimits,
  type PublishSoon,
} from '@ledgerline/platform';
import { invoiceTotals, lineAmounts } from '../domain/invoice-totals';
import {
  formatInvoiceNumber,
  numberingLockKey,
  repairLastNumber,
  withNextInvoiceNumber,
} from './numbering';
import type { Invoice, InvoiceLine, InvoiceStore } from '../store/invoices';
import type { EntitlementProjection } from '../store/entitlements';
import type { BillingRunStore } from '../store/billing-runs';
import type { InvoiceReferences } from './invoice-references';
import type { CallerIdentity, CustomersClient } from '@ledgerline/platform';

export type Caller = CallerIdentity;

export interface InvoicingDeps {
  invoices: InvoiceStore;
  /** Every change of an existing invoice goes through it (lock key, version, outbox). */
  aggregates: AggregateWriter;
  /** The numbering lock of a tenant (numbering.ts). */
  locks: AggregateLocks;
  /** The tenant's plan limits (seed 003), kept by the worker from TenantPlanChanged. */
  limits: Pick<PlanLimits, 'withinLimit'>;
  defaultCurrency: string;
  /** Wakes the outbox relay so events leave right after the write. */
  publishSoon: PublishSoon;
  /** Entitlement details, pricings and VAT from the customers service (auto-generation). */
  projection?: EntitlementProjection;
  /** Billing runs (their chunk commands leave through the runs' outbox). */
  runs?: BillingRunStore;
  /** Checks the customer/entitlement/utility/row ids a client names on an invoice. */
  references: InvoiceReferences;
  /**
   * The customers service, asked for what billing's copies may not hold yet: auto_generate bills
   * an entitlement as it is now; a customer's look-ups answer one created a moment ago.
   */
  owner?: CustomersClient;
}

/** Where an auto-generated invoice comes from: stored on it, searchable, shown in its view. */
export interface InvoiceSource {
  bill_number?: string | null;
  period_start?: string | null;
  period_end?: string | null;
  billing_run_id?: string | null;
}

export function toLine(
  input: InvoiceLineInput,
  currency: string,
  index?: number,
  id: string = newId('ind'),
): InvoiceLine {
  const at = (field: string) => (index === undefined ? field : `details.${index}.${field}`);
  const vatRate = input.vat_rate === undefined ? 0 : parseRate(input.vat_rate, at('vat_rate'));
  const discountRate =
    input.sub_discount_rate === undefined
      ? 0
      : parseRate(input.sub_discount_rate, at('sub_discount_rate'));
  const amounts = lineAmounts({
    subTotalMinor: toMinor(input.sub_total, currency, at('sub_total')),
    vatRate,
    discountRate,
  });
  if (amounts.subTotalMinor < 0) {
    throw AppError.validation('Invalid invoice line', [
      { field: at('sub_total'), message: 'must not be negative' },
    ]);
  }
  return {
    id,
    entitlement_details_id: input.entitlement_details_id ?? null,
    sub_total_minor: amounts.subTotalMinor,
    vat_rate: vatRate,
    discount_rate: discountRate,
    vat_minor: amounts.vatMinor,
    discount_minor: amounts.discountMinor,
    line_total_minor: amounts.lineTotalMinor,
    remarks: input.remarks ?? null,
  };
}

export function totalsOf(details: InvoiceLine[], paidMinor: number) {
  const t = invoiceTotals(
    details.map((d) => ({
      subTotalMinor: d.sub_total_minor,
      vatMinor: d.vat_minor,
      discountMinor: d.discount_minor,
      lineTotalMinor: d.line_total_minor,
    })),
    paidMinor,
  );
  return {
    sub_total_minor: t.subTotalMinor,
    vat_minor: t.vatMinor,
    discount_minor: t.discountMinor,
    total_minor: t.totalMinor,
    paid_minor: t.paidMinor,
    balance_due_minor: t.balanceDueMinor,
  };
}

/** The invoice as every invoice event describes it. */
export function invoiceEventAmounts(inv: Invoice) {
  return {
    invoice_id: inv._id,
    invoice_number: inv.invoice_number,
    customer_id: inv.customer_id,
    currency: inv.currency,
    status: inv.status,
    total_minor: inv.total_minor,
    paid_minor: inv.paid_minor,
    balance_due_minor: inv.balance_due_minor,
    sub_total_minor: inv.sub_total_minor,
    vat_minor: inv.vat_minor,
    discount_minor: inv.discount_minor,
    issue_date: inv.issue_date,
  };
}

export function createdEvent(inv: Invoice, caller: Caller): EventEnvelope<'InvoiceCreated'> {
  return buildEvent('InvoiceCreated', {
    tenant_id: inv.tenant_id,
    correlation_id: caller.correlationId,
    data: invoiceEventAmounts(inv),
  });
}

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
    if (found) return found;
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
): Promise<Invoice[]> {
  if (requests.length === 0) return [];
  const drafts = requests.map(({ id, req, source }) => ({
    draft: draftInvoice(deps, caller, req, id, source),
    issue: req.status !== 'draft',
  }));
  const saved = await deps.limits.withinLimit(
    caller.tenantId,
    'invoices',
    () => deps.invoices.countAll(caller.tenantId),
    () => insertInvoiceBlock(deps, caller, drafts),
    drafts.length,
  );
  deps.publishSoon(saved.map((invoice) => invoice._id));
  return saved;
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
): Promise<Invoice[]> {
  const { tenantId } = caller;
  return deps.locks.withLock(numberingLockKey(tenantId), async () => {
    const stored = new Map<string, Invoice>();
    let pending = drafts;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const last = await deps.invoices.lastNumber(tenantId);
      let seq = last;
      const block = pending.map(({ draft, issue }) => {
        if (!issue) return draft;
        seq += 1;
        return { ...draft, ...issuedFields(draft, seq, formatInvoiceNumber(seq)) };
      });
      try {
        await deps.invoices.insertMany(
          block.map((invoice) => ({ invoice, events: [createdEvent(invoice, caller)] })),
        );
        if (seq > last) await deps.invoices.setLastNumber(tenantId, seq);
        for (const invoice of block) stored.set(invoice._id, invoice);
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
    return drafts.map(({ draft }) => stored.get(draft._id)!);
  });
}

/** What issuing changes: the next number, the status, and the issue date (today unless given). */
export function issuedFields(invoice: Invoice, seq: number, number: string) {
  return {
    invoice_number: number,
    number_seq: seq,
    number_key: number,
    status: 'unpaid' as const,
    issue_date: invoice.issue_date ?? new Date().toISOString().slice(0, 10),
  };
}

export function statusChangedEvent(before: Invoice, after: Invoice, caller: Caller): EventEnvelope {
  return buildEvent('InvoiceStatusChanged', {
    tenant_id: after.tenant_id,
    correlation_id: caller.correlationId,
    data: {
      ...invoiceEventAmounts(after),
      previous_status: before.status,
      payment_id: null,
      applied_minor: 0,
      payment_change: null,
      refund_id: null,
    },
  });
}

export async function getInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  const invoice = await deps.invoices.findById(caller.tenantId, id);
  if (!invoice) throw AppError.notFound('Invoice');
  return invoice;
}

export async function listInvoices(deps: InvoicingDeps, caller: Caller, query: ListQuery) {
  return deps.invoices.list(caller.tenantId, query);
}

export function invoiceLockKey(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}
