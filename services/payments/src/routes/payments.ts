import { Router, type Request } from 'express';
import { createPaymentRequest, listQuerySchema, ok } from '@ledgerline/contracts';
import { callerOf, parseBody, parseQuery, requirePermission } from '@ledgerline/platform';
import {
  getPayment,
  listPayments,
  recordPayment,
  type Caller,
  type PaymentsDeps,
} from '../use-cases/record-payment';
import { paymentView } from '../views';

function caller(req: Request): Caller {
  const auth = callerOf(req);
  return {
    tenantId: auth.tenantId,
    userId: auth.userId,
    token: auth.token,
    requestId: String(req.id),
    correlationId: req.correlationId,
  };
}

/** Seed 002 PAYMENT app: /api/payments/payments/. */
export function paymentRoutes(deps: PaymentsDeps): Router {
  const router = Router();

  router.get('/payments', requirePermission('payments:read'), async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const { results, count } = await listPayments(deps, caller(req), query);
    res.json(
      ok({ results: results.map(paymentView), count, page: query.page, per_page: query.perPage }),
    );
  });

  router.post('/payments', requirePermission('payments:create'), async (req, res) => {
    const payment = await recordPayment(deps, caller(req), parseBody(createPaymentRequest, req));
    res
      .status(201)
      .location(`/api/payments/payments/${payment._id}/`)
      .json(ok(paymentView(payment), 'Payment recorded'));
  });

  router.get('/payments/:id', requirePermission('payments:read'), async (req, res) => {
    res.json(ok(paymentView(await getPayment(deps, caller(req), String(req.params.id)))));
  });

  return router;
}
