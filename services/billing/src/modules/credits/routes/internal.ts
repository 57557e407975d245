import { Router } from 'express';
import { AppError, ok } from '@ledgerline/contracts';
import type { CreditsUseCaseDeps } from '../use-cases/deps';
import { transactionView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. The webhooks service's event catalogue reads a credit transaction here to send it as seed
 * 000's `GET /v1/billing/transactions/` lists it (the same view), 404 for another tenant's.
 */
export function internalCreditRoutes(deps: Pick<CreditsUseCaseDeps, 'usage'>): Router {
  const router = Router();
  router.get('/internal/tenants/:tenantId/credit-transactions/:id', async (req, res) => {
    const tx = await deps.usage.transactions.findById(
      String(req.params.tenantId),
      String(req.params.id),
    );
    if (!tx) throw AppError.notFound('Credit transaction');
    res.json(ok(transactionView(tx)));
  });
  return router;
}
