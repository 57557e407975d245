import { Router } from 'express';
import { AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { createConnectedProfile, createShadowProfile } from '../use-cases/profiles';

/** Seed 001 profile creation: /api/users/{user}/profiles and /api/accounts/profiles. */
export function profileRoutes(deps: AuthDeps): Router {
  const router = Router();
  bindRoute(router, R.createConnectedProfile, async ({ caller, params, body }) => ({
    data: await createConnectedProfile(deps, caller, params.user, body),
    message: 'Profile created',
  }));
  bindRoute(router, R.createShadowProfile, async ({ caller, body }) => ({
    data: await createShadowProfile(deps, caller, body),
    message: 'Shadow profile created',
  }));
  return router;
}
