import { Router } from 'express';
import { internalCreditRequest, internalPaymentRequest, ok } from '@ledgerline/contracts';
import { parseBody } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { holdCreditNote } from '../use-cases/credit-holds';
import { recordInternalPayment } from '../use-cases/internal-payment';
import { onePaymentView } from '../use-cases/payment-views';
import { getPayment } from '../use-cases/record-payment';
import { paymentView } from '../views';

/**
 * For other services only: /internal is not in the gateway's route table, so clients cannot reach
 * it. Billing's checkout "pay now" records its payment here (idempotent by idempotency_key), and
 * billing's credit notes are held against their invoice's balance here (idempotent by id); the
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
  router.post('/internal/tenants/:tenantId/invoices/:invoiceId/credits', async (req, res) => {
    const answer = await holdCreditNote(
      deps,
      String(req.params.tenantId),
      String(req.params.invoiceId),
      parseBody(internalCreditRequest, req),
    );
    res.json(ok(answer));
  });
  router.get('/internal/tenants/:tenantId/payments/:id', async (req, res) => {
    // the public GET's read and view
    const payment = await getPayment(deps, String(req.params.tenantId), String(req.params.id));
    res.json(ok(await onePaymentView(deps, payment)));
  });
  return router;
}
