import { Router, type RequestHandler } from 'express';
import { loginRequest, ok, registerRequest } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import { login, register, userView, type AccountsDeps } from '../use-cases/accounts';

export const API_VERSION = '1.0.0';

/** Seed 001 "auth" category, plus the JWKS that every verifier reads. */
export function authRoutes(deps: AccountsDeps): Router {
  const router = Router();

  router.get('/api', (_req, res) => {
    res.json(ok({ name: 'Ledgerline API', version: API_VERSION }));
  });

  router.post('/api/auth/register', async (req, res) => {
    const user = await register(deps, parseBody(registerRequest, req), req.correlationId);
    const [membership] = user.memberships;
    const tenant = membership && {
      id: membership.tenant_id,
      name: membership.tenant_name,
      slug: membership.tenant_slug,
      role: membership.role,
    };
    res.status(201).json(ok({ ...userView(user), tenant }, 'User registered'));
  });

  const loginHandler: RequestHandler = async (req, res) => {
    res.json(ok(await login(deps, parseBody(loginRequest, req))));
  };
  router.post('/api/auth', loginHandler);
  router.post('/api/auth/login', loginHandler);

  const jwks: RequestHandler = async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await deps.keys.publicJwks());
  };
  router.get('/.well-known/jwks.json', jwks);
  router.get('/api/auth/jwks', jwks);

  return router;
}
