import type { Express, RequestHandler } from 'express';
import {
  CUSTOMER_PAYMENT_ROUTES,
  PAYMENT_ROUTES,
  PLATFORM_PAYMENT_ROUTES,
} from '@ledgerline/contracts';
import { idempotentPaths, serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { customerPaymentRoutes } from './routes/customer-payments';
import { internalRoutes } from './routes/internal';
import { paymentRoutes } from './routes/payments';
import { platformPaymentRoutes } from './routes/platform-payments';
import type { PaymentsDeps } from './use-cases/deps';

export interface PaymentsAppDeps extends PaymentsDeps, ServiceHttpDeps {
  /** The Idempotency-Key middleware of every POST that moves money. */
  idempotent: RequestHandler;
}

/** The POSTs that move money (records, voids, refunds): their specs say they take a key. */
const MONEY_POSTS = idempotentPaths(
  PAYMENT_ROUTES,
  PLATFORM_PAYMENT_ROUTES,
  CUSTOMER_PAYMENT_ROUTES,
);

export function createApp(deps: PaymentsAppDeps): Express {
  return serviceApp('payments', deps, (app, authenticated) => {
    // service-to-service only, not in the public document (see routes/internal.ts)
    app.use(internalRoutes(deps));
    // these routers see full paths: /api/payments/..., /v1/billing/..., a customer's payments
    app.use(['/api/payments', '/v1/billing', '/api/customers/customers'], authenticated);
    app.post(MONEY_POSTS, deps.idempotent);
    app.use(paymentRoutes(deps));
    app.use(platformPaymentRoutes(deps));
    app.use(customerPaymentRoutes(deps));
  });
}
