import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';

export interface CustomersAppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/**
 * Customers, entitlements, packages and utility information (seed 002) come with the customers
 * issue; its paths already require a verified token.
 */
export function createApp(deps: CustomersAppDeps): Express {
  return createServiceApp({
    name: 'customers',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use(['/api/customers', '/api/packages', '/api/utility'], authenticate(deps.verifier));
    },
  });
}
