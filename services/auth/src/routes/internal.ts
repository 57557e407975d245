import { Router } from 'express';
import { z } from 'zod';
import { ok } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { AuthDeps } from '../use-cases/deps';
import { exchangeApiToken } from '../use-cases/api-tokens';

/** For the gateway only: /internal is not in its route table, so clients cannot reach it. */
export function internalRoutes(deps: AuthDeps): Router {
  const router = Router();
  router.post('/internal/api-tokens/exchange', async (req, res) => {
    res.json(
      ok(
        await exchangeApiToken(
          deps,
          parseBody(z.object({ token: z.string().min(1).max(512) }), req).token,
        ),
      ),
    );
  });
  return router;
}
