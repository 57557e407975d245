import type { Express } from 'express';
import { createServiceApp, type Logger, type ReadinessCheck } from '@ledgerline/platform';
import { authRoutes } from './routes/auth';
import type { AccountsDeps } from './use-cases/accounts';

export interface AuthAppDeps extends AccountsDeps {
  logger: Logger;
  readiness: ReadinessCheck[];
  bodyLimit?: string;
}

export function createApp(deps: AuthAppDeps): Express {
  return createServiceApp({
    name: 'auth',
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: deps.bodyLimit,
    routes: (app) => {
      app.use(authRoutes(deps));
    },
  });
}
