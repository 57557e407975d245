import type { Express } from 'express';
import { serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { accountRoutes } from './routes/account';
import { internalRoutes } from './routes/internal';
import { profileRoutes } from './routes/profiles';
import { publicRoutes } from './routes/public';
import { settingsRoutes } from './routes/settings';
import { teamRoutes } from './routes/team';
import type { AuthDeps } from './use-cases/deps';

export type AuthAppDeps = AuthDeps & ServiceHttpDeps;

export function createApp(deps: AuthAppDeps): Express {
  return serviceApp('auth', deps, (app, authenticated) => {
    app.use(publicRoutes(deps));
    app.use(internalRoutes(deps));
    app.use(['/api/auth', '/v1/account', '/api/users', '/api/accounts'], authenticated);
    app.use(accountRoutes(deps));
    app.use(teamRoutes(deps));
    app.use(settingsRoutes(deps));
    app.use(profileRoutes(deps));
  });
}
