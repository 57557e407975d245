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
  type UpdateInvoiceDetailRequest,
  type UpdateInvoiceRequest,
  formatMinor,
  formatRate,
} from '@ledgerline/contracts';
import {
  isDuplicateKeyError,
  matchesSearch,
  newId,
  type AggregateLocks,
  type AggregateWriter,
  type Change,
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
import { assertInvoiceReferences, type InvoiceReferences } from './invoice-references';
import type { CustomersClient } from '@ledgerline/platform';

export interface Caller {
  tenantId: string;
  userId: string;
  correlationId: string;
}

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

function toLine(
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
  const assertIssuable = (invoice: Invoice) => {
    if (invoice.status !== 'draft')
      throw AppError.conflict(`Invoice is already ${invoice.status}; only drafts can be issued`);
  };
  // the invoice's lock first, so the number is taken only for an invoice that can be issued
  await deps.aggregates.guard(deps.invoices.aggregate, id, async (held) => {
    assertIssuable(await getInvoice(deps, caller, id));
    await withNextInvoiceNumber(deps, caller.tenantId, (seq, number) =>
      held.change<Invoice>(caller.tenantId, (invoice) => {
        assertIssuable(invoice);
        const fields = issuedFields(invoice, seq, number);
        return {
          set: { ...fields, updated_by: caller.userId },
          events: [statusChangedEvent(invoice, { ...invoice, ...fields }, caller)],
        };
      }),
    );
  });
  return getInvoice(deps, caller, id);
}

/** Void: allowed for drafts and for issued invoices nothing has been paid on (refund first). */
export async function voidInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    invoiceKey(caller, id),
    (invoice) => {
      if (invoice.status === 'void') return undefined;
      if (invoice.paid_minor !== 0) {
        throw AppError.conflict(
          'An invoice with payments cannot be voided; refund the payments first',
        );
      }
      return {
        set: { status: 'void', updated_by: caller.userId },
        events: [statusChangedEvent(invoice, { ...invoice, status: 'void' }, caller)],
      };
    },
  );
  return getInvoice(deps, caller, id);
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
  await assertInvoiceReferences(deps, caller, req);
  let lineId = '';
  const key = invoiceKey(caller, req.invoice_master_id);
  await deps.aggregates.change<Invoice>(deps.invoices.aggregate, key, (invoice) => {
    assertDraft(invoice);
    const line = toLine(req, invoice.currency);
    lineId = line.id;
    return linesChange(caller, invoice, [...invoice.details, line]);
  });
  return { invoice: await getInvoice(deps, caller, req.invoice_master_id), lineId };
}

const IMMUTABLE =
  'Issued invoices cannot be changed; they change only through payments, credit notes or void';

function assertDraft(invoice: Invoice): void {
  if (invoice.status !== 'draft') {
    throw AppError.conflict(`${IMMUTABLE} (this one is ${invoice.status})`);
  }
}

/**
 * A draft's lines and totals in one change. Drafts are not financial (the customers' totals
 * ignore them), so a draft's edit publishes nothing; issuing it announces its amounts.
 */
function linesChange(
  caller: Caller,
  invoice: Invoice,
  details: InvoiceLine[],
  header: Partial<Invoice> = {},
): Change<Invoice> {
  return {
    set: {
      ...header,
      details,
      ...totalsOf(details, invoice.paid_minor),
      updated_by: caller.userId,
    } as Partial<Invoice>,
  };
}

/** An invoice of the caller's tenant (another tenant's is "Invoice not found"). */
const invoiceKey = (caller: Caller, id: string) => ({ id, tenantId: caller.tenantId });

const HEADER_DEFAULTS = {
  customer_id: null,
  customer_entitlement_master_id: null,
  information_master_id: null,
  issue_date: null,
  due_date: null,
  remarks: null,
} as const;

/**
 * PATCH (full=false) or PUT (full=true) of an invoice. Drafts take any change (lines replaced when
 * `details` is sent); `status` issues ("unpaid"/"issued") or voids ("void") through the same
 * rules as the issue/void actions. Anything else on an issued invoice is a 409.
 */
export async function updateInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
  req: UpdateInvoiceRequest,
  full: boolean,
): Promise<Invoice> {
  const { status, details, currency, ...fields } = req;
  const header: Record<string, unknown> = full ? { ...HEADER_DEFAULTS } : {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) header[key] = value;
  const changesFields =
    Object.keys(header).length > 0 || details !== undefined || currency !== undefined;
  if (changesFields) {
    await deps.aggregates.change<Invoice>(
      deps.invoices.aggregate,
      invoiceKey(caller, id),
      async (invoice) => {
        const onlySame =
          invoice.status !== 'draft' &&
          Object.entries(header).every(([k, v]) => invoice[k as keyof Invoice] === v) &&
          details === undefined &&
          (currency === undefined || currency === invoice.currency);
        if (onlySame) return undefined; // a PUT repeating an issued invoice's own fields changes nothing
        assertDraft(invoice);
        const changed = Object.fromEntries(
          Object.entries(header).filter(([k, v]) => invoice[k as keyof Invoice] !== v),
        );
        await assertInvoiceReferences(deps, caller, { ...changed, details });
        const nextCurrency = currency ?? invoice.currency;
        if (
          details === undefined &&
          nextCurrency !== invoice.currency &&
          invoice.details.length > 0
        ) {
          throw AppError.validation('Invalid invoice', [
            { field: 'currency', message: 'send the details again in the new currency' },
          ]);
        }
        const lines = details
          ? details.map((line, i) => toLine(line, nextCurrency, i))
          : invoice.details;
        return linesChange(caller, invoice, lines, {
          ...(header as Partial<Invoice>),
          currency: nextCurrency,
        });
      },
    );
  }
  if (status === 'unpaid' || status === 'issued') {
    const current = await getInvoice(deps, caller, id);
    if (current.status === 'draft') return issueInvoice(deps, caller, id);
    if (current.status === 'void') throw AppError.conflict('A void invoice cannot be issued');
    return current;
  }
  if (status === 'void') return voidInvoice(deps, caller, id);
  const current = await getInvoice(deps, caller, id);
  if (status === 'draft' && current.status !== 'draft') {
    throw AppError.conflict(`${IMMUTABLE}; an issued invoice cannot go back to draft`);
  }
  return current;
}

/** Only drafts can be deleted (they have no number); an issued invoice is voided instead. */
export async function deleteInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<void> {
  await deps.aggregates.remove<Invoice>(
    deps.invoices.aggregate,
    invoiceKey(caller, id),
    (invoice) => {
      if (invoice.status !== 'draft') {
        throw AppError.conflict(
          `Only draft invoices can be deleted; this one is ${invoice.status} (void it instead)`,
        );
      }
    },
  );
}

/** The line as the invoice holds it now (removed by another request meanwhile: 404). */
function lineOf(invoice: Invoice, lineId: string): InvoiceLine {
  const line = invoice.details.find((d) => d.id === lineId);
  if (!line) throw AppError.notFound('Invoice detail');
  return line;
}

export async function getInvoiceLine(
  deps: InvoicingDeps,
  caller: Caller,
  lineId: string,
): Promise<{ invoice: Invoice; line: InvoiceLine }> {
  const invoice = await deps.invoices.findByLineId(caller.tenantId, lineId);
  const line = invoice?.details.find((d) => d.id === lineId);
  if (!invoice || !line) throw AppError.notFound('Invoice detail');
  return { invoice, line };
}

/** The lines of one invoice (`invoice_master_id`), or of the tenant's latest invoices. */
export async function listInvoiceLines(
  deps: InvoicingDeps,
  caller: Caller,
  query: ListQuery,
): Promise<{ results: { invoice: Invoice; line: InvoiceLine }[]; count: number }> {
  const invoiceId = query.filters.invoice_master_id;
  // without an invoice: the lines of the tenant's 100 most recent invoices (one page of them)
  const invoices = invoiceId
    ? [await getInvoice(deps, caller, invoiceId)]
    : (
        await deps.invoices.list(caller.tenantId, {
          ...query,
          search: undefined,
          page: 1,
          perPage: 100,
        })
      ).results;
  const all = invoices
    .flatMap((invoice) => invoice.details.map((line) => ({ invoice, line })))
    .filter(({ invoice, line }) =>
      matchesSearch(query, {
        invoice_number: invoice.invoice_number,
        bill_number: invoice.bill_number ?? null,
        status: invoice.status,
        remarks: line.remarks,
      }),
    );
  return {
    results: all.slice((query.page - 1) * query.perPage, query.page * query.perPage),
    count: all.length,
  };
}

function lineInput(line: InvoiceLine, currency: string): InvoiceLineInput {
  return {
    entitlement_details_id: line.entitlement_details_id ?? undefined,
    sub_total: formatMinor(line.sub_total_minor, currency),
    vat_rate: formatRate(line.vat_rate),
    sub_discount_rate: formatRate(line.discount_rate),
    remarks: line.remarks ?? undefined,
  };
}

/** PATCH/PUT of one line of a draft; the invoice's totals are recalculated in the same write. */
export async function updateInvoiceLine(
  deps: InvoicingDeps,
  caller: Caller,
  lineId: string,
  req: UpdateInvoiceDetailRequest,
  full: boolean,
): Promise<Invoice> {
  const { invoice: first } = await getInvoiceLine(deps, caller, lineId);
  if (req.invoice_master_id !== undefined && req.invoice_master_id !== first._id) {
    throw AppError.validation('Invalid invoice detail', [
      { field: 'invoice_master_id', message: 'a detail cannot move to another invoice' },
    ]);
  }
  await assertInvoiceReferences(deps, caller, req);
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    invoiceKey(caller, first._id),
    (invoice) => {
      const line = lineOf(invoice, lineId);
      assertDraft(invoice);
      const { invoice_master_id: _i, ...changes } = req;
      if (full && changes.sub_total === undefined) {
        throw AppError.validation('Invalid invoice detail', [
          { field: 'sub_total', message: 'is required' },
        ]);
      }
      const base = full ? { sub_total: '0' } : lineInput(line, invoice.currency);
      const merged = { ...base } as InvoiceLineInput;
      for (const [key, value] of Object.entries(changes))
        if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
      const next = toLine(merged, invoice.currency, undefined, line.id);
      return linesChange(
        caller,
        invoice,
        invoice.details.map((d) => (d.id === lineId ? next : d)),
      );
    },
  );
  return getInvoice(deps, caller, first._id);
}

export async function deleteInvoiceLine(
  deps: InvoicingDeps,
  caller: Caller,
  lineId: string,
): Promise<Invoice> {
  const { invoice: first } = await getInvoiceLine(deps, caller, lineId);
  await deps.aggregates.change<Invoice>(
    deps.invoices.aggregate,
    invoiceKey(caller, first._id),
    (invoice) => {
      lineOf(invoice, lineId);
      assertDraft(invoice);
      return linesChange(
        caller,
        invoice,
        invoice.details.filter((d) => d.id !== lineId),
      );
    },
  );
  return getInvoice(deps, caller, first._id);
}

export function invoiceLockKey(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}
