import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { customerBillRoutes } from './routes/customer-bills';
import { invoiceRoutes } from './routes/invoices';
import type { InvoicingDeps } from './use-cases/invoices';

export interface BillingAppDeps extends InvoicingDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

export function createApp(deps: BillingAppDeps): Express {
  return createServiceApp({
    name: 'billing',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use('/api/bills', authenticate(deps.verifier), invoiceRoutes(deps));
      app.use(
        '/api/customers/customers/:customerId',
        authenticate(deps.verifier),
        customerBillRoutes(deps),
      );
    },
  });
}
