import { Router } from 'express';
import { createBillingRunRequest, listQuerySchema, ok } from '@ledgerline/contracts';
import { parseBody, parseQuery, requirePermission, requestCaller } from '@ledgerline/platform';
import { getBillingRun, listBillingRuns, startBillingRun } from '../use-cases/billing-runs';
import type { InvoicingDeps } from '../use-cases/invoices';
import { billingRunView } from '../views';

const caller = requestCaller;

/** /api/bills/billing-runs/: start a run (202; the workers generate), follow its progress. */
export function billingRunRoutes(deps: InvoicingDeps): Router {
  const router = Router();

  router.post('/billing-runs', requirePermission('bills:create'), async (req, res) => {
    const run = await startBillingRun(deps, caller(req), parseBody(createBillingRunRequest, req));
    res
      .status(202)
      .location(`/api/bills/billing-runs/${run._id}/`)
      .json(ok(billingRunView(run), `Billing run queued for ${run.total} entitlements`));
  });

  router.get('/billing-runs', requirePermission('bills:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await listBillingRuns(deps, caller(req), query);
    res.json(
      ok({
        results: results.map(billingRunView),
        count,
        page: query.page,
        per_page: query.perPage,
      }),
    );
  });

  router.get('/billing-runs/:id', requirePermission('bills:read'), async (req, res) => {
    res.json(ok(billingRunView(await getBillingRun(deps, caller(req), String(req.params.id)))));
  });

  return router;
}
