import { Router } from 'express';
import { DUNNING_ROUTES as R } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { getDunningPolicy, setDunningPolicy } from '../use-cases/dunning';
import type { InvoicingDeps } from '../use-cases/invoices';

/** The tenant's dunning policy (issue 17). */
export function dunningRoutes(deps: InvoicingDeps): Router {
  const router = Router();
  bindRoute(router, R.get, async ({ caller }) => ({
    data: await getDunningPolicy(deps, caller),
  }));
  bindRoute(router, R.put, async ({ caller, body }) => ({
    data: await setDunningPolicy(deps, caller, body),
  }));
  return router;
}
