import type { CreateInvoiceRequest } from '@ledgerline/contracts';
import { createAutoCalculatedInvoice } from './auto-generate';
import { assertInvoiceReferences } from './invoice-references';
import { createInvoice } from './create-invoice';
import type { Caller, InvoicingDeps } from './invoices';

/**
 * POST /api/bills/invoices: the ids the client names are checked first (invoices the platform
 * makes itself, from runs, carts and purchases, name what billing already holds).
 */
export async function createRequestedInvoice(
  deps: InvoicingDeps,
  caller: Caller,
  req: CreateInvoiceRequest,
) {
  await assertInvoiceReferences(deps, caller, req);
  return req.auto_calculate
    ? createAutoCalculatedInvoice(deps, caller, req)
    : createInvoice(deps, caller, req);
}
