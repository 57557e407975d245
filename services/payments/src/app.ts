import type { Express, RequestHandler } from 'express';
import {
  authenticate,
  createServiceApp,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { customerPaymentRoutes } from './routes/customer-payments';
import { internalRoutes } from './routes/internal';
import { paymentRoutes } from './routes/payments';
import { platformPaymentRoutes } from './routes/platform-payments';
import type { PaymentsDeps } from './use-cases/deps';

export interface PaymentsAppDeps extends PaymentsDeps {
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  /** The Idempotency-Key middleware of every POST that moves money. */
  idempotent: RequestHandler;
  bodyLimit?: string;
}

export function createApp(deps: PaymentsAppDeps): Express {
  return createServiceApp({
    name: 'payments',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use(internalRoutes(deps));
      app.use('/api/payments', authenticate(deps.verifier), paymentRoutes(deps, deps.idempotent));
      app.use(
        '/v1/billing',
        authenticate(deps.verifier),
        platformPaymentRoutes(deps, deps.idempotent),
      );
      app.use(
        '/api/customers/customers/:customerId',
        authenticate(deps.verifier),
        customerPaymentRoutes(deps),
      );
    },
  });
}
