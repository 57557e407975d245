import { Router } from 'express';
import { connectedProfileRequest, ok, shadowProfileRequest } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { createConnectedProfile, createShadowProfile } from '../use-cases/profiles';
import { caller } from './caller';

/** Seed 001 profile creation: /api/users/{user}/profiles and /api/accounts/profiles. */
export function profileRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.post('/api/users/:user/profiles', async (req, res) => {
    const profile = await createConnectedProfile(
      deps,
      caller(req),
      String(req.params.user),
      parseBody(connectedProfileRequest, req),
    );
    res.status(201).json(ok(profile, 'Profile created'));
  });
  router.post('/api/accounts/profiles', async (req, res) => {
    const profile = await createShadowProfile(
      deps,
      caller(req),
      parseBody(shadowProfileRequest, req),
    );
    res.status(201).json(ok(profile, 'Shadow profile created'));
  });
  return router;
}
