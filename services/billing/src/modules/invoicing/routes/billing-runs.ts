import { Router } from 'express';
import { BILLING_RUN_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import { getBillingRun, listBillingRuns, startBillingRun } from '../use-cases/billing-runs';
import type { InvoicingDeps } from '../use-cases/invoices';
import { billingRunView } from '../views';

/** /api/bills/billing-runs/: start a run (202; the workers generate), follow its progress. */
export function billingRunRoutes(deps: InvoicingDeps): Router {
  const router = Router();

  bindRoute(router, R.start, async ({ caller, body, res }) => {
    const run = await startBillingRun(deps, caller, body);
    res.location(`/api/bills/billing-runs/${run._id}/`);
    return {
      data: billingRunView(run),
      message: `Billing run queued for ${run.total} entitlements`,
    };
  });

  bindRoute(router, R.list, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await listBillingRuns(deps, caller, q);
    return { data: pageOf(q, { results: results.map(billingRunView), count }) };
  });

  bindRoute(router, R.get, async ({ caller, params }) => ({
    data: billingRunView(await getBillingRun(deps, caller, params.id)),
  }));

  return router;
}
