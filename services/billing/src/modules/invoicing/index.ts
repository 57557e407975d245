/**
 * The invoicing module: invoices and their lines (seed 002 BILLS), gapless numbers, settlement
 * from payments, auto-generation and billing runs, the customer's bill histories, and the copy of
 * the customers service's entitlements it bills from. The only file other modules and flows may
 * import (eslint.config.mjs).
 */
export { invoicingDeps, startInvoicingWorker, type CustomerCopies } from './wiring';
export { invoiceRoutes } from './routes/invoices';
export { internalInvoiceRoutes } from './routes/internal';
export { billingRunRoutes } from './routes/billing-runs';
export { customerBillRoutes } from './routes/customer-bills';
export { dunningRoutes } from './routes/dunning';
export { platformCaller, type Caller, type InvoicingDeps } from './use-cases/invoices';
export { createInvoice } from './use-cases/create-invoice';
export type { Invoice, InvoiceViewSource } from './store/invoices';
export { invoiceView } from './views';
// the invoice arithmetic, pure (the ledger's property tests feed it with the books)
export { invoiceTotals, lineAmounts } from './domain/invoice-totals';
export { settledStatus, type InvoiceStatus } from './domain/settlement';
export { totalsByCurrency } from './domain/bill-totals';
// credit notes (issue 17): the flow asks the payments service between prepare and issue
export {
  getCreditNote,
  issueCreditNote,
  listCreditNotes,
  prepareCreditNote,
  returnSubscriptionCredit,
} from './use-cases/credit-notes';
export type { CreditNote, ShownCreditNote } from './store/credit-notes';
// a subscription's invoice with the credit note its balance pays (the worker's handler makes it)
export { invoiceSubscriptionDue } from './use-cases/subscription-invoices';
export { creditNoteView } from './views';
