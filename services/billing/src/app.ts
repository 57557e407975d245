import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { creditRoutes, type CreditsDeps } from './credits/wiring';
import { ledgerRoutes, type LedgerDeps } from './ledger/wiring';
import { customerBillRoutes } from './routes/customer-bills';
import { invoiceRoutes } from './routes/invoices';
import type { InvoicingDeps } from './use-cases/invoices';

export interface BillingAppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
  invoicing: InvoicingDeps;
  credits: CreditsDeps;
  ledger: LedgerDeps;
}

export function createApp(deps: BillingAppDeps): Express {
  const auth = authenticate(deps.verifier);
  return createServiceApp({
    name: 'billing',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use('/api/bills', auth, invoiceRoutes(deps.invoicing));
      app.use('/api/customers/customers/:customerId', auth, customerBillRoutes(deps.invoicing));
      // these routers see full paths: /v1/billing/..., /api/billing/..., /api/cart, /api/metrics/...
      app.use(['/v1', '/api/billing', '/api/cart', '/api/metrics'], auth);
      app.use(creditRoutes(deps.credits));
      app.use(ledgerRoutes(deps.ledger));
    },
  });
}
