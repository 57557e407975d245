import type { Express } from 'express';
import { createServiceApp, type Logger, type ReadinessCheck } from '@ledgerline/platform';

export interface CustomersAppDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

/** Customers, entitlements, packages and utility information (seed 002) come with the customers issue. */
export function createApp(deps: CustomersAppDeps): Express {
  return createServiceApp({
    name: 'customers',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: () => {},
  });
}
