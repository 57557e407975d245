import type { Express } from 'express';
import { serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { customerRoutes } from './routes/customers';
import { internalRoutes } from './routes/internal';
import { packageRoutes } from './routes/packages';
import { utilityRoutes } from './routes/utility';
import type { CustomersDeps } from './use-cases/context';

// the app always has a logger; the use cases may be given none (CustomersDeps.logger is optional)
export type CustomersAppDeps = CustomersDeps & ServiceHttpDeps;

/** Customers, entitlements, packages and utility information (seed 002). */
export function createApp(deps: CustomersAppDeps): Express {
  return serviceApp('customers', deps, (app, authenticated) => {
    app.use(internalRoutes(deps));
    app.use(['/api/customers', '/api/packages', '/api/utility'], authenticated);
    app.use(customerRoutes(deps));
    app.use(packageRoutes(deps));
    app.use(utilityRoutes(deps));
  });
}
