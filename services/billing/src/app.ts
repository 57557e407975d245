import type { Express, RequestHandler } from 'express';
import {
  BILLING_RUN_ROUTES,
  CREDIT_NOTE_ROUTES,
  CREDIT_ROUTES,
  CUSTOMER_BILL_ROUTES,
  INVOICE_ROUTES,
  LEDGER_ROUTES,
} from '@ledgerline/contracts';
import { idempotentPaths, serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { flowRoutes, type PaymentsClient } from './flows';
import { creditRoutes, internalCreditRoutes, type CreditsDeps } from './modules/credits';
import { documentRoutes, type DocumentsDeps } from './modules/documents';
import {
  billingRunRoutes,
  customerBillRoutes,
  dunningRoutes,
  internalInvoiceRoutes,
  invoiceRoutes,
  type InvoicingDeps,
} from './modules/invoicing';
import { ledgerRoutes, type LedgerDeps } from './modules/ledger';

export interface BillingAppDeps extends ServiceHttpDeps {
  invoicing: InvoicingDeps;
  /** Invoice PDFs (rendered on request). */
  documents: DocumentsDeps;
  credits: CreditsDeps;
  ledger: LedgerDeps;
  /** Checkout pays an order through the payments service. */
  payments: PaymentsClient;
  /** Idempotency-Key handling (libs/platform) for the POSTs that move money or credits. */
  idempotent: RequestHandler;
}

/** The POSTs that move money or credits (purchase, usage, balance, checkout): their specs say so. */
const MONEY_POSTS = idempotentPaths(
  INVOICE_ROUTES,
  BILLING_RUN_ROUTES,
  CUSTOMER_BILL_ROUTES,
  LEDGER_ROUTES,
  CREDIT_ROUTES,
  CREDIT_NOTE_ROUTES,
);

export function createApp(deps: BillingAppDeps): Express {
  return serviceApp('billing', deps, (app, authenticated) => {
    // service-to-service reads, not in the gateway's route table (see the routes' comments)
    app.use(internalInvoiceRoutes(deps.invoicing));
    app.use(internalCreditRoutes(deps.credits));
    app.use(['/api/bills', '/api/customers/customers'], authenticated);
    app.use(invoiceRoutes(deps.invoicing));
    app.use(documentRoutes(deps.documents));
    app.use(billingRunRoutes(deps.invoicing));
    app.use(dunningRoutes(deps.invoicing));
    app.use(
      customerBillRoutes({
        invoices: deps.invoicing.invoices,
        // the copy first; one created a moment ago is known to the customers service
        customerKnown: async (tenantId, customerId, correlationId) =>
          (await deps.ledger.projections.findCustomer(tenantId, customerId)) !== null ||
          (await deps.invoicing.owner?.customer(tenantId, customerId, correlationId)) != null,
      }),
    );
    // these routers see full paths: /v1/billing/..., /api/billing/..., /api/cart, /api/metrics/...
    app.use(['/v1', '/api/billing', '/api/cart', '/api/metrics'], authenticated);
    app.post(MONEY_POSTS, deps.idempotent);
    app.use(creditRoutes(deps.credits));
    app.use(ledgerRoutes(deps.ledger));
    app.use(flowRoutes(deps));
  });
}
