import { Router } from 'express';
import { internalPaymentRequest, ok } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { recordInternalPayment } from '../use-cases/internal-payment';
import { onePaymentView } from '../use-cases/payment-views';
import { getPayment } from '../use-cases/record-payment';
import { paymentView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Billing's checkout "pay now" records its payment here (idempotent by idempotency_key); the
 * webhooks service's event catalogue reads a payment as `GET /api/payments/payments/{id}/` answers
 * it (the same view, details included), 404 for another tenant's.
 */
export function internalRoutes(deps: PaymentsDeps): Router {
  const router = Router();
  router.post('/internal/payments', async (req, res) => {
    const { payment, created } = await recordInternalPayment(
      deps,
      parseBody(internalPaymentRequest, req),
      req.correlationId,
    );
    res.status(created ? 201 : 200).json(ok(paymentView(payment)));
  });
  router.get('/internal/tenants/:tenantId/payments/:id', async (req, res) => {
    // the public GET's read and view
    const payment = await getPayment(deps, String(req.params.tenantId), String(req.params.id));
    res.json(ok(await onePaymentView(deps, payment)));
  });
  return router;
}
