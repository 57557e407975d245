import {
  AppError,
  buildEvent,
  parseRate,
  toMinor,
  type CreateInvoiceDetailRequest,
  type CreateInvoiceRequest,
  type EventEnvelope,
  type InvoiceLineInput,
  type ListQuery,
} from '@ledgerline/contracts';
import { newId, type AggregateLocks, type PlanLimits } from '@ledgerline/platform';
import { invoiceTotals, lineAmounts } from '../domain/invoice-totals';
import { withNextInvoiceNumber } from './numbering';
import type { Invoice, InvoiceLine, InvoiceStore } from '../store/invoices';

export interface Caller {
  tenantId: string;
  userId: string;
  correlationId: string;
}

export interface InvoicingDeps {
  invoices: InvoiceStore;
  locks: AggregateLocks;
  /** The tenant's plan limits (seed 003), kept by the worker from TenantPlanChanged. */
  limits: Pick<PlanLimits, 'withinLimit'>;
  defaultCurrency: string;
  /** Wakes the outbox relay so events leave right after the write. */
  publishSoon: () => void;
}

function toLine(input: InvoiceLineInput, currency: string, index?: number): InvoiceLine {
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
    id: newId('ind'),
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

function totalsOf(details: InvoiceLine[], paidMinor: number) {
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

function createdEvent(inv: Invoice, caller: Caller): EventEnvelope<'InvoiceCreated'> {
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
  opts: { id?: string } = {},
): Promise<Invoice> {
  const create = (id: string) =>
    deps.limits.withinLimit(
      caller.tenantId,
      'invoices',
      () => deps.invoices.countAll(caller.tenantId),
      () => insertInvoice(deps, caller, req, id),
    );
  const { id } = opts;
  if (id === undefined) return create(newId('inv'));
  return deps.locks.withLock(
    invoiceLockKey(id),
    async () => (await deps.invoices.findById(caller.tenantId, id)) ?? create(id),
  );
}

async function insertInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
  id: string,
): Promise<Invoice> {
  const currency = req.currency ?? deps.defaultCurrency;
  const details = (req.details ?? []).map((line, i) => toLine(line, currency, i));
  const issued = req.status !== 'draft';
  const draft: Invoice = {
    _id: id,
    tenant_id: caller.tenantId,
    invoice_number: null,
    number_seq: null,
    number_key: `draft:${id}`,
    customer_id: req.customer_id ?? null,
    customer_entitlement_master_id: req.customer_entitlement_master_id ?? null,
    information_master_id: req.information_master_id ?? null,
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
  const insert = (invoice: Invoice) =>
    deps.invoices.insert(invoice, [createdEvent(invoice, caller)]);
  const saved = issued
    ? await withNextInvoiceNumber(deps, caller.tenantId, (seq, number) =>
        insert({ ...draft, ...issuedFields(draft, seq, number) }),
      )
    : await insert(draft);
  deps.publishSoon();
  return saved;
}

/** What issuing changes: the next number, the status, and the issue date (today unless given). */
function issuedFields(invoice: Invoice, seq: number, number: string) {
  return {
    invoice_number: number,
    number_seq: seq,
    number_key: number,
    status: 'unpaid' as const,
    issue_date: invoice.issue_date ?? new Date().toISOString().slice(0, 10),
  };
}

function statusChangedEvent(before: Invoice, after: Invoice, caller: Caller): EventEnvelope {
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

/** Draft -> issued (unpaid): it gets the next gapless number and can take payments from now on. */
export async function issueInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  return deps.locks.withLock(invoiceLockKey(id), async () => {
    const invoice = await getInvoice(deps, caller, id);
    if (invoice.status !== 'draft')
      throw AppError.conflict(`Invoice is already ${invoice.status}; only drafts can be issued`);
    await withNextInvoiceNumber(deps, caller.tenantId, async (seq, number) => {
      const fields = issuedFields(invoice, seq, number);
      const after: Invoice = { ...invoice, ...fields };
      const updated = await deps.invoices.updateIfVersion(
        caller.tenantId,
        id,
        invoice.version,
        { set: fields, updatedBy: caller.userId },
        [statusChangedEvent(invoice, after, caller)],
      );
      if (!updated) throw AppError.conflict('The invoice was changed by another request; retry');
    });
    deps.publishSoon();
    return getInvoice(deps, caller, id);
  });
}

/** Void: allowed for drafts and for issued invoices nothing has been paid on (refund first). */
export async function voidInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  return deps.locks.withLock(invoiceLockKey(id), async () => {
    const invoice = await getInvoice(deps, caller, id);
    if (invoice.status === 'void') return invoice;
    if (invoice.paid_minor !== 0) {
      throw AppError.conflict(
        'An invoice with payments cannot be voided; refund the payments first',
      );
    }
    const after: Invoice = { ...invoice, status: 'void' };
    const updated = await deps.invoices.updateIfVersion(
      caller.tenantId,
      id,
      invoice.version,
      { set: { status: 'void' }, updatedBy: caller.userId },
      [statusChangedEvent(invoice, after, caller)],
    );
    if (!updated) throw AppError.conflict('The invoice was changed by another request; retry');
    deps.publishSoon();
    return getInvoice(deps, caller, id);
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

/** Adds a line to a draft invoice and recalculates its totals in the same write. */
export async function addInvoiceLine(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceDetailRequest,
): Promise<{ invoice: Invoice; lineId: string }> {
  return deps.locks.withLock(invoiceLockKey(req.invoice_master_id), async () => {
    const invoice = await getInvoice(deps, caller, req.invoice_master_id);
    if (invoice.status !== 'draft') {
      throw AppError.conflict(
        'Only draft invoices can be changed; issued invoices change through payments, credit notes or void',
      );
    }
    const line = toLine(req, invoice.currency);
    const details = [...invoice.details, line];
    const updated = await deps.invoices.updateIfVersion(
      caller.tenantId,
      invoice._id,
      invoice.version,
      { set: { details, ...totalsOf(details, invoice.paid_minor) }, updatedBy: caller.userId },
      [],
    );
    if (!updated) throw AppError.conflict('The invoice was changed by another request; retry');
    return { invoice: await getInvoice(deps, caller, invoice._id), lineId: line.id };
  });
}

export function invoiceLockKey(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}
