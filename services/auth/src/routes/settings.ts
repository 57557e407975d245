import { Router, type RequestHandler } from 'express';
import { ok, updateAccountSettingsRequest } from '@ledgerline/contracts';
import { parseBody, requirePermission } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { getAccountSettings, updateAccountSettings } from '../use-cases/settings';
import { caller } from './caller';

/** Seed 000 /v1/account/settings/: the active tenant's account and billing profile. */
export function settingsRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.get('/v1/account/settings', requirePermission('settings:read'), async (req, res) => {
    res.json(ok(await getAccountSettings(deps, caller(req))));
  });
  const update: RequestHandler = async (req, res) => {
    res.json(
      ok(
        await updateAccountSettings(
          deps,
          caller(req),
          parseBody(updateAccountSettingsRequest, req),
        ),
        'Settings updated',
      ),
    );
  };
  router.patch('/v1/account/settings', requirePermission('settings:update'), update);
  router.put('/v1/account/settings', requirePermission('settings:update'), update);
  return router;
}
