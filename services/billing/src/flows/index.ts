import { Router } from 'express';
import type { CreditsDeps } from '../modules/credits';
import type { DocumentsDeps } from '../modules/documents';
import type { InvoicingDeps } from '../modules/invoicing';
import type { LedgerDeps } from '../modules/ledger';
import { checkoutRoutes } from './checkout';
import type { PaymentsClient } from './clients/payments';
import { creditNoteRoutes } from './credit-notes';
import { creditPurchaseRoutes } from './credit-purchase';
import { platformInvoiceRoutes } from './platform-invoices';

/**
 * Processes that combine modules (each module imports no other's internals; a flow imports
 * modules through their index.ts): checkout, credit purchase, the platform's invoices to tenants,
 * credit notes.
 */
export interface FlowDeps {
  invoicing: InvoicingDeps;
  documents: DocumentsDeps;
  credits: CreditsDeps;
  ledger: LedgerDeps;
  payments: PaymentsClient;
}

/** Mounted at the root behind authentication: full paths /api/billing/... and /v1/billing/... */
export function flowRoutes(deps: FlowDeps): Router {
  const router = Router();
  router.use(checkoutRoutes(deps));
  router.use(creditPurchaseRoutes(deps));
  router.use(platformInvoiceRoutes(deps.invoicing, deps.documents));
  router.use(creditNoteRoutes(deps));
  return router;
}

export { periodHandlers } from './platform-invoices';
export { httpPaymentsClient, type PaymentsClient } from './clients/payments';
export { finishCreditNote, finishPendingCreditNotes } from './credit-notes';
