import { Router } from 'express';
import { API_VERSION, AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { login, register } from '../use-cases/accounts';
import type { AuthDeps } from '../use-cases/deps';
import { acceptInvitation } from '../use-cases/team';
import { refreshSession, tenantView, userView } from '../use-cases/tokens';

/** Routes that need no token (the gateway lists the same ones as public). */
export function publicRoutes(deps: AuthDeps): Router {
  const router = Router();

  bindRoute(router, R.api, async () => ({
    data: { name: 'Ledgerline API', version: API_VERSION },
  }));

  bindRoute(router, R.register, async ({ body, req }) => {
    const user = await register(deps, body, req.correlationId);
    // registration creates the user together with their first tenant
    const membership = user.memberships[0] as (typeof user.memberships)[number];
    return {
      data: { ...userView(user), tenant: tenantView(membership) },
      message: 'User registered',
    };
  });

  // seed 001 reads the token at the top level (`jq -r .token`), so it is there as well as in data
  for (const spec of [R.login, R.loginAlias]) {
    bindRoute(router, spec, async ({ body }) => {
      const issued = await login(deps, body);
      return { data: issued, extra: { token: issued.token } };
    });
  }

  bindRoute(router, R.refresh, async ({ body }) => {
    const issued = await refreshSession(deps, body.refresh_token);
    return { data: issued, extra: { token: issued.token } };
  });

  bindRoute(router, R.acceptInvitation, async ({ body, req }) => ({
    data: userView(await acceptInvitation(deps, body, req.correlationId)),
    message: 'Invitation accepted; you can log in now',
  }));

  for (const spec of [R.jwks, R.jwksAlias]) {
    bindRoute(router, spec, async ({ res }) => {
      res.set('Cache-Control', 'public, max-age=60');
      return { data: await deps.keys.publicJwks() };
    });
  }

  return router;
}
