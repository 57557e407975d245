import type { Express } from 'express';
import {
  authenticate,
  createServiceApp,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@ledgerline/platform';
import { accountRoutes } from './routes/account';
import { internalRoutes } from './routes/internal';
import { profileRoutes } from './routes/profiles';
import { publicRoutes } from './routes/public';
import { settingsRoutes } from './routes/settings';
import { teamRoutes } from './routes/team';
import type { AuthDeps } from './use-cases/deps';

export interface AuthAppDeps extends AuthDeps {
  logger: Logger;
  verifier: TokenVerifier;
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
      app.use(publicRoutes(deps));
      app.use(internalRoutes(deps));
      const authenticated = authenticate(deps.verifier);
      app.use(['/api/auth', '/v1/account', '/api/users', '/api/accounts'], authenticated);
      app.use(accountRoutes(deps));
      app.use(teamRoutes(deps));
      app.use(settingsRoutes(deps));
      app.use(profileRoutes(deps));
    },
  });
}
