import { Router } from 'express';
import { internalPaymentRequest, ok } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { recordInternalPayment } from '../use-cases/internal-payment';
import { paymentView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Billing's checkout "pay now" records its payment here (idempotent by idempotency_key).
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
  return router;
}
