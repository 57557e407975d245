import {
  AppError,
  formatMinor,
  formatRate,
  type CreateInvoiceDetailRequest,
  type InvoiceLineInput,
  type ListQuery,
  type UpdateInvoiceDetailRequest,
} from '@ledgerline/contracts';
import { matchesSearch } from '@ledgerline/platform';
import type { Invoice, InvoiceLine } from '../store/invoices';
import { assertDraft, invoiceKey, linesChange } from './invoice-edits';
import { assertInvoiceReferences } from './invoice-references';
import { getInvoice, toLine, type Caller, type InvoicingDeps } from './invoices';

/**
 * Seed 002's /api/bills/invoice-details/: a draft's lines, each change through the invoice
 * aggregate with the totals recalculated in the same write (invoice-edits.ts edits the header).
 */

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
