import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { customerRoutes } from './routes/customers';
import { internalRoutes } from './routes/internal';
import { packageRoutes } from './routes/packages';
import { utilityRoutes } from './routes/utility';
import type { CustomersDeps } from './use-cases/context';

export interface CustomersAppDeps extends CustomersDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/** Customers, entitlements, packages and utility information (seed 002). */
export function createApp(deps: CustomersAppDeps): Express {
  return createServiceApp({
    name: 'customers',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use(internalRoutes(deps));
      app.use(['/api/customers', '/api/packages', '/api/utility'], authenticate(deps.verifier));
      app.use(customerRoutes(deps));
      app.use(packageRoutes(deps));
      app.use(utilityRoutes(deps));
    },
  });
}
