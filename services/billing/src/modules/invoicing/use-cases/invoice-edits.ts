import { AppError, type UpdateInvoiceRequest } from '@ledgerline/contracts';
import { type Change } from '@ledgerline/platform';
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
 * Changes of an existing invoice, each through the invoice aggregate (create-invoice.ts creates
 * them, invoices.ts reads them): issue and void, and the edits a draft takes (header, deletion;
 * its lines: line-edits.ts).
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
      if ((invoice.credited_minor ?? 0) !== 0) {
        throw AppError.conflict(
          'invalid_state',
          'An invoice with credit notes cannot be voided; credit what it still owes instead',
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

const IMMUTABLE =
  'Issued invoices cannot be changed; they change only through payments, credit notes or void';

export function assertDraft(invoice: Invoice): void {
  if (invoice.status !== 'draft') {
    throw AppError.conflict('invalid_state', `${IMMUTABLE} (this one is ${invoice.status})`);
  }
}

/**
 * A draft's lines and totals in one change. Drafts are not financial (the customers' totals
 * ignore them), so a draft's edit publishes nothing; issuing it announces its amounts.
 */
export function linesChange(
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
export const invoiceKey = (caller: Caller, id: string) => ({ id, tenantId: caller.tenantId });

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
