import {
  AppError,
  type CreateInvoiceDetailRequest,
  type InvoiceLineInput,
  type ListQuery,
  type UpdateInvoiceDetailRequest,
  type UpdateInvoiceRequest,
  formatMinor,
  formatRate,
} from '@ledgerline/contracts';
import { matchesSearch, type Change } from '@ledgerline/platform';
import type { Invoice, InvoiceLine } from '../store/invoices';
import { assertInvoiceReferences } from './invoice-references';
import { withNextInvoiceNumber } from './numbering';
import {
  getInvoice,
  issuedFields,
  statusChangedEvent,
  toLine,
  totalsOf,
  type Caller,
  type InvoicingDeps,
} from './invoices';

/**
 * Changes of an existing invoice, each through the invoice aggregate (invoices.ts creates and
 * reads them): issue and void, and the edits a draft takes (header, lines, deletion).
 */

/** Draft -> issued (unpaid): it gets the next gapless number and can take payments from now on. */
export async function issueInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  id: string,
): Promise<Invoice> {
  const assertIssuable = (invoice: Invoice) => {
    if (invoice.status !== 'draft')
      throw AppError.conflict(
        'invalid_state',
        `Invoice is already ${invoice.status}; only drafts can be issued`,
      );
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
          'invalid_state',
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
    throw AppError.conflict('invalid_state', `${IMMUTABLE} (this one is ${invoice.status})`);
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
    if (current.status === 'void')
      throw AppError.conflict('invalid_state', 'A void invoice cannot be issued');
    return current;
  }
  if (status === 'void') return voidInvoice(deps, caller, id);
  const current = await getInvoice(deps, caller, id);
  if (status === 'draft' && current.status !== 'draft') {
    throw AppError.conflict(
      'invalid_state',
      `${IMMUTABLE}; an issued invoice cannot go back to draft`,
    );
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
          'invalid_state',
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
