import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  requirePlatformAdmin,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';

export interface TenantsAppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/**
 * Tenants, plans and subscriptions (seed 003) are built by the tenants issue. Already now every
 * /api/saas/* request needs a verified token of a platform administrator.
 */
export function createApp(deps: TenantsAppDeps): Express {
  return createServiceApp({
    name: 'tenants',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use('/api/saas', authenticate(deps.verifier), requirePlatformAdmin);
      app.use('/api/profile', authenticate(deps.verifier));
    },
  });
}
