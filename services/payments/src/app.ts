import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { customerPaymentRoutes } from './routes/customer-payments';
import { paymentRoutes } from './routes/payments';
import type { PaymentsDeps } from './use-cases/record-payment';

export interface PaymentsAppDeps extends PaymentsDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

export function createApp(deps: PaymentsAppDeps): Express {
  return createServiceApp({
    name: 'payments',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use('/api/payments', authenticate(deps.verifier), paymentRoutes(deps));
      app.use(
        '/api/customers/customers/:customerId',
        authenticate(deps.verifier),
        customerPaymentRoutes(deps),
      );
    },
  });
}
