import { Router } from 'express';
import { z } from 'zod';
import { ok } from '@ledgerline/contracts';
import { parseQuery } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import { existingReferences } from '../use-cases/references';

const id = z.string().min(1).max(200).optional();
const referenceQuery = z.object({ customer_id: id, entitlement_id: id, utility_info_id: id });

/** For other services only: /internal is not in the gateway's route table, so clients cannot reach it. */
export function internalRoutes(deps: CustomersDeps): Router {
  const router = Router();
  router.get('/internal/tenants/:tenantId/references', async (req, res) => {
    const query = parseQuery(referenceQuery, req);
    res.json(ok(await existingReferences(deps, String(req.params.tenantId), query)));
  });
  return router;
}
