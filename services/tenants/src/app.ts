import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { internalRoutes } from './routes/internal';
import { profileRoutes } from './routes/profiles';
import { saasRoutes } from './routes/saas';
import type { TenantsDeps } from './use-cases/deps';

export interface TenantsAppDeps extends TenantsDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/** Seed 003's SaaS administration; every /api/saas/* request needs a verified token. */
export function createApp(deps: TenantsAppDeps): Express {
  return createServiceApp({
    name: 'tenants',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use(internalRoutes(deps));
      app.use(['/api/saas', '/api/profile'], authenticate(deps.verifier));
      app.use(saasRoutes(deps));
      app.use(profileRoutes(deps));
    },
  });
}
