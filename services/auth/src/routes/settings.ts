import { Router } from 'express';
import { AUTH_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { deleteLogo, putLogo } from '../use-cases/logo';
import { getAccountSettings, updateAccountSettings } from '../use-cases/settings';

/** Seed 000 /v1/account/settings/: the active tenant's account and billing profile, and its logo. */
export function settingsRoutes(deps: AuthDeps): Router {
  const router = Router();
  bindRoute(router, R.getSettings, async ({ caller }) => ({
    data: await getAccountSettings(deps, caller),
  }));
  bindRoute(router, R.updateSettings, async ({ caller, body }) => ({
    data: await updateAccountSettings(deps, caller, body),
    message: 'Settings updated',
  }));
  bindRoute(router, R.putLogo, async ({ caller, body, req }) => ({
    data: await putLogo(deps, caller, req.is(['image/png', 'image/jpeg']) || '', Buffer.from(body)),
    message: 'Logo saved',
  }));
  bindRoute(router, R.deleteLogo, async ({ caller }) => {
    await deleteLogo(deps, caller);
  });
  return router;
}
