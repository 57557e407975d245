import { Router } from 'express';
import { AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { getAccountSettings, updateAccountSettings } from '../use-cases/settings';

/** Seed 000 /v1/account/settings/: the active tenant's account and billing profile. */
export function settingsRoutes(deps: AuthDeps): Router {
  const router = Router();
  bindRoute(router, R.getSettings, async ({ caller }) => ({
    data: await getAccountSettings(deps, caller),
  }));
  bindRoute(router, R.updateSettings, async ({ caller, body }) => ({
    data: await updateAccountSettings(deps, caller, body),
    message: 'Settings updated',
  }));
  return router;
}
