import type { Express } from 'express';
import { createServiceApp, type Logger, type ReadinessCheck } from '@ledgerline/platform';

export interface TenantsAppDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/** Tenants, plans and subscriptions (seed 003) are built by the tenants issue; this is the service's frame. */
export function createApp(deps: TenantsAppDeps): Express {
  return createServiceApp({
    name: 'tenants',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: () => {},
  });
}
