import type { Express } from 'express';
import { serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { internalRoutes } from './routes/internal';
import { profileRoutes } from './routes/profiles';
import { providerRoutes } from './routes/providers';
import { saasRoutes } from './routes/saas';
import { usageRoutes } from './routes/usage';
import type { TenantsDeps } from './use-cases/deps';

export type TenantsAppDeps = TenantsDeps & ServiceHttpDeps;

/** Seed 003's SaaS administration; every /api/saas/* request needs a verified token. */
export function createApp(deps: TenantsAppDeps): Express {
  return serviceApp('tenants', deps, (app, authenticated) => {
    app.use(internalRoutes(deps));
    app.use(['/api/saas', '/api/profile', '/api/usage'], authenticated);
    app.use(saasRoutes(deps));
    app.use(profileRoutes(deps));
    app.use(providerRoutes(deps));
    app.use(usageRoutes(deps));
  });
}
