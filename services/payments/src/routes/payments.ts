import { Router, type RequestHandler } from 'express';
import {
  createPaymentDetailRequest,
  createPaymentRequest,
  listQuerySchema,
  ok,
  reconciliationQuery,
  refundPaymentRequest,
  updatePaymentRequest,
  voidPaymentRequest,
  type ListQuery,
} from '@ledgerline/contracts';
import { parseBody, parseQuery, requirePermission } from '@ledgerline/platform';
import { normalisePaymentMethod } from '../domain/payment-methods';
import { filterOfQuery, type PaymentFilter } from '../store/payments';
import type { PaymentsDeps } from '../use-cases/deps';
import { refundPayment, updatePayment, voidPayment } from '../use-cases/payment-changes';
import { reconciliationReport } from '../use-cases/reconciliation';
import { getPayment, recordPayment } from '../use-cases/record-payment';
import { paymentHistory, totalsByCustomer } from '../use-cases/reports';
import { paymentSearch } from '../use-cases/search';
import { onePaymentView, paymentViews } from '../use-cases/payment-views';
import { paymentDetailView, paymentView } from '../views';
import { caller, paymentKey } from './caller';

/**
 * Filters as given, with the method spelled as stored ("Bank Transfer" finds bank payments), and
 * the search (customer names included).
 */
async function filterOf(
  deps: PaymentsDeps,
  tenantId: string,
  query: ListQuery,
): Promise<PaymentFilter> {
  const f = filterOfQuery(query);
  return {
    ...f,
    search: await paymentSearch(deps, tenantId, query, { byCustomerName: true }),
    payment_method: f.payment_method
      ? (normalisePaymentMethod(f.payment_method) ?? f.payment_method)
      : undefined,
  };
}

/** Seed 002 PAYMENT app: /api/payments/payments/ and /api/payments/payment-details/. */
export function paymentRoutes(deps: PaymentsDeps, idempotent: RequestHandler): Router {
  const router = Router();
  const read = requirePermission('payments:read');
  const create = requirePermission('payments:create');
  const update = requirePermission('payments:update');

  router.get('/payments', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const tenantId = caller(req).tenantId;
    const { results, count } = await deps.payments.list(
      tenantId,
      await filterOf(deps, tenantId, query),
      query,
    );
    const views = await paymentViews(deps, tenantId, results);
    res.json(ok({ results: views, count, page: query.page, per_page: query.perPage }));
  });

  router.post('/payments', create, idempotent, async (req, res) => {
    const payment = await recordPayment(deps, caller(req), parseBody(createPaymentRequest, req), {
      key: paymentKey(req, 'payment'),
    });
    res
      .status(201)
      .location(`/api/payments/payments/${payment._id}/`)
      // a payment recorded a moment ago has no details yet: its own amount is what it holds
      .json(ok(paymentView(payment), 'Payment recorded'));
  });

  router.get('/payments/history', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const tenantId = caller(req).tenantId;
    const filter = await filterOf(deps, tenantId, query);
    res.json(ok(await paymentHistory(deps, tenantId, filter, query)));
  });

  router.get('/payments/by_customer', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const tenantId = caller(req).tenantId;
    res.json(ok(await totalsByCustomer(deps, tenantId, await filterOf(deps, tenantId, query))));
  });

  router.get('/payments/:id', read, async (req, res) => {
    const payment = await getPayment(deps, caller(req).tenantId, String(req.params.id));
    res.json(ok(await onePaymentView(deps, payment)));
  });

  router.patch('/payments/:id', update, async (req, res) => {
    const payment = await updatePayment(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(updatePaymentRequest, req),
    );
    res.json(ok(await onePaymentView(deps, payment), 'Payment updated'));
  });

  router.post('/payments/:id/void', update, idempotent, async (req, res) => {
    const payment = await voidPayment(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(voidPaymentRequest, req),
    );
    res.json(ok(await onePaymentView(deps, payment), 'Payment voided'));
  });

  router.post('/payments/:id/refund', update, idempotent, async (req, res) => {
    const payment = await refundPayment(
      deps,
      caller(req),
      String(req.params.id),
      parseBody(refundPaymentRequest, req),
    );
    res.status(201).json(ok(await onePaymentView(deps, payment), 'Payment refunded'));
  });

  router.get('/payment-details', read, async (req, res) => {
    const query = parseQuery(listQuerySchema, req);
    const tenantId = caller(req).tenantId;
    const filter = {
      ...(await filterOf(deps, tenantId, query)),
      master_payment_id: query.filters.payment_master_id,
      holdingMoney: true,
      mastersOnly: false,
    };
    const { results, count } = await deps.payments.list(tenantId, filter, query);
    res.json(
      ok({
        results: results.map(paymentDetailView),
        count,
        page: query.page,
        per_page: query.perPage,
      }),
    );
  });

  router.post('/payment-details', create, idempotent, async (req, res) => {
    const body = parseBody(createPaymentDetailRequest, req);
    const who = caller(req);
    const master = await getPayment(deps, who.tenantId, body.payment_master_id);
    const payment = await recordPayment(
      deps,
      who,
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
      { masterPaymentId: master.master_payment_id ?? master._id, key: paymentKey(req, 'detail') },
    );
    res
      .status(201)
      .location(`/api/payments/payment-details/${payment._id}/`)
      .json(ok(paymentDetailView(payment), 'Payment detail recorded'));
  });

  router.get('/payment-details/:id', read, async (req, res) => {
    res.json(
      ok(paymentDetailView(await getPayment(deps, caller(req).tenantId, String(req.params.id)))),
    );
  });

  router.get('/reconciliation', read, async (req, res) => {
    const { grace_seconds } = parseQuery(reconciliationQuery, req);
    const results = await reconciliationReport(deps, caller(req).tenantId, grace_seconds * 1000);
    res.json(ok({ results, count: results.length, grace_seconds }));
  });

  return router;
}
