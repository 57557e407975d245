import { Router } from 'express';
import { PAYMENT_ROUTES as R, pageOf, toListQuery } from '@ledgerline/contracts';
import { bindRoute } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { refundPayment, updatePayment, voidPayment } from '../use-cases/payment-changes';
import { reconciliationReport } from '../use-cases/reconciliation';
import { getPayment, recordPayment } from '../use-cases/record-payment';
import { paymentHistory, totalsByCustomer } from '../use-cases/reports';
import { paymentFilter } from '../use-cases/search';
import { onePaymentView, paymentViews } from '../use-cases/payment-views';
import { paymentDetailView, paymentView } from '../views';

/**
 * Seed 002 PAYMENT app: /api/payments/payments/ and /api/payments/payment-details/. A POST's
 * Idempotency-Key (replayed by app.ts's middleware) also keys the payment's id, per route.
 */
export function paymentRoutes(deps: PaymentsDeps): Router {
  const router = Router();

  bindRoute(router, R.list, async ({ caller, query }) => {
    const q = toListQuery(query);
    const { results, count } = await deps.payments.list(
      caller.tenantId,
      await paymentFilter(deps, caller.tenantId, q),
      q,
    );
    return {
      data: pageOf(q, { results: await paymentViews(deps, caller.tenantId, results), count }),
    };
  });

  bindRoute(router, R.create, async ({ caller, body, idempotencyKey, res }) => {
    const payment = await recordPayment(deps, caller, body, {
      key: idempotencyKey ? { scope: 'payment', key: idempotencyKey } : undefined,
    });
    res.location(`/api/payments/payments/${payment._id}/`);
    // a payment recorded a moment ago has no details yet: its own amount is what it holds
    return { data: paymentView(payment), message: 'Payment recorded' };
  });

  bindRoute(router, R.history, async ({ caller, query }) => {
    const q = toListQuery(query);
    const filter = await paymentFilter(deps, caller.tenantId, q);
    return { data: await paymentHistory(deps, caller.tenantId, filter, q) };
  });

  bindRoute(router, R.byCustomer, async ({ caller, query }) => {
    const filter = await paymentFilter(deps, caller.tenantId, toListQuery(query));
    return { data: await totalsByCustomer(deps, caller.tenantId, filter) };
  });

  bindRoute(router, R.get, async ({ caller, params }) => ({
    data: await onePaymentView(deps, await getPayment(deps, caller.tenantId, params.id)),
  }));

  bindRoute(router, R.update, async ({ caller, params, body }) => ({
    data: await onePaymentView(deps, await updatePayment(deps, caller, params.id, body)),
    message: 'Payment updated',
  }));

  bindRoute(router, R.void, async ({ caller, params, body }) => ({
    data: await onePaymentView(deps, await voidPayment(deps, caller, params.id, body)),
    message: 'Payment voided',
  }));

  bindRoute(router, R.refund, async ({ caller, params, body }) => ({
    data: await onePaymentView(deps, await refundPayment(deps, caller, params.id, body)),
    message: 'Payment refunded',
  }));

  bindRoute(router, R.details, async ({ caller, query }) => {
    const q = toListQuery(query);
    const filter = {
      ...(await paymentFilter(deps, caller.tenantId, q)),
      master_payment_id: query.payment_master_id,
      holdingMoney: true,
      mastersOnly: false,
    };
    const { results, count } = await deps.payments.list(caller.tenantId, filter, q);
    return { data: pageOf(q, { results: results.map(paymentDetailView), count }) };
  });

  bindRoute(router, R.createDetail, async ({ caller, body, idempotencyKey, res }) => {
    const master = await getPayment(deps, caller.tenantId, body.payment_master_id);
    const payment = await recordPayment(
      deps,
      caller,
      {
        invoice_master_id: master.invoice_id,
        payment_method: master.payment_method,
        // a detail is part of its master's payment: it is dated as the master is
        payment_date: master.payment_date,
        customer_entitlement_master_id: master.customer_entitlement_master_id ?? undefined,
        pay_amount: body.pay_amount,
        transaction_id: body.transaction_id,
        remarks: body.remarks,
        status: body.status,
      },
      {
        masterPaymentId: master.master_payment_id ?? master._id,
        key: idempotencyKey ? { scope: 'detail', key: idempotencyKey } : undefined,
      },
    );
    res.location(`/api/payments/payment-details/${payment._id}/`);
    return { data: paymentDetailView(payment), message: 'Payment detail recorded' };
  });

  bindRoute(router, R.getDetail, async ({ caller, params }) => ({
    data: paymentDetailView(await getPayment(deps, caller.tenantId, params.id)),
  }));

  bindRoute(router, R.reconciliation, async ({ caller, query: { grace_seconds } }) => {
    const results = await reconciliationReport(deps, caller.tenantId, grace_seconds * 1000);
    return { data: { results, count: results.length, grace_seconds } };
  });

  return router;
}
