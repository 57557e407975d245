import { Router, type RequestHandler } from 'express';
import {
  API_VERSION,
  acceptInvitationRequest,
  loginWithTenantRequest,
  ok,
  refreshRequest,
  registerRequest,
} from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import { login, register } from '../use-cases/accounts';
import type { AuthDeps } from '../use-cases/deps';
import { acceptInvitation } from '../use-cases/team';
import { refreshSession, tenantView, userView } from '../use-cases/tokens';

/** Routes that need no token (the gateway lists the same ones as public). */
export function publicRoutes(deps: AuthDeps): Router {
  const router = Router();

  router.get('/api', (_req, res) => {
    res.json(ok({ name: 'Ledgerline API', version: API_VERSION }));
  });

  router.post('/api/auth/register', async (req, res) => {
    const user = await register(deps, parseBody(registerRequest, req), req.correlationId);
    const [membership] = user.memberships;
    res
      .status(201)
      .json(
        ok({ ...userView(user), tenant: membership && tenantView(membership) }, 'User registered'),
      );
  });

  // seed 001 reads the token at the top level (`jq -r .token`), so it is there as well as in data
  const loginHandler: RequestHandler = async (req, res) => {
    const issued = await login(deps, parseBody(loginWithTenantRequest, req));
    res.json({ ...ok(issued), token: issued.token });
  };
  router.post('/api/auth', loginHandler);
  router.post('/api/auth/login', loginHandler);

  router.post('/api/auth/refresh', async (req, res) => {
    const issued = await refreshSession(deps, parseBody(refreshRequest, req).refresh_token);
    res.json({ ...ok(issued), token: issued.token });
  });

  router.post('/api/auth/invitations/accept', async (req, res) => {
    const user = await acceptInvitation(
      deps,
      parseBody(acceptInvitationRequest, req),
      req.correlationId,
    );
    res.json(ok(userView(user), 'Invitation accepted; you can log in now'));
  });

  const jwks: RequestHandler = async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=60').json(await deps.keys.publicJwks());
  };
  router.get('/.well-known/jwks.json', jwks);
  router.get('/api/auth/jwks', jwks);

  return router;
}
