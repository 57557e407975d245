import { z } from 'zod';
import {
  createPaymentDetailRequest,
  createPaymentRequest,
  createPlatformPaymentRequest,
  customerPaymentTotals,
  paymentDetailView,
  paymentMethodView,
  paymentView,
  platformPaymentView,
  reconciliationItem,
  reconciliationQuery,
  refundPaymentRequest,
  updatePaymentMethodRequest,
  updatePaymentRequest,
  voidPaymentRequest,
} from './api/payments';
import { pageSchema } from './envelope';
import { listParams } from './list-query';
import { historyWindow, type RouteSpec } from './openapi-types';

const paymentListQuery = listParams({
  customer_id: z.string().optional(),
  invoice_master_id: z.string().optional(),
  status: z.string().optional(),
  payment_method: z.string().optional(),
});

/** What a payment search reads (q_f names); one customer's lists leave out its name. */
const PAYMENT_SEARCH = '(search: transaction_id, remarks, payment_method, status, customer_name)';
const CUSTOMER_PAYMENT_SEARCH = '(search: transaction_id, remarks, payment_method, status)';

const paymentTotals = z.object({
  currency: z.string(),
  total_received: z.string(),
  payment_count: z.number(),
});

const historyResponse = pageSchema(paymentView).extend({
  ...historyWindow,
  totals: paymentTotals.nullable(),
  other_currency_totals: z.array(paymentTotals),
});

/** Every POST that moves money takes this header (Stripe's rules; see libs/platform idempotency.ts). */
const IDEMPOTENT =
  ' Send an `Idempotency-Key` header: a repeat with the same key and body replays the first answer, the same key with another body is a 422, a repeat while the first runs is a 409 (keys kept 24 h).';

/** The payments service's public routes (seed 002 PAYMENT app, the customer's payments, seed 000 /v1/billing payments). */
export const PAYMENT_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/customers/customers/{id}/payments',
    tag: 'payments',
    summary: `A customer's payments (answered by payments) ${CUSTOMER_PAYMENT_SEARCH}`,
    query: listParams(),
    response: pageSchema(paymentView),
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/payment_history',
    tag: 'payments',
    summary: `A customer's payments in a date window or period, with completed totals (net of refunds) per currency ${CUSTOMER_PAYMENT_SEARCH}`,
    query: listParams(),
    response: historyResponse,
  },
  {
    method: 'get',
    path: '/api/payments/payments',
    tag: 'payments',
    summary: `List payments ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: pageSchema(paymentView),
  },
  {
    method: 'post',
    path: '/api/payments/payments',
    tag: 'payments',
    summary: `Record a payment against an issued invoice (amount at most the balance due, an enabled method; "Bank Transfer" is stored as bank).${IDEMPOTENT}`,
    body: createPaymentRequest,
    status: 201,
    response: paymentView,
  },
  {
    method: 'get',
    path: '/api/payments/payments/history',
    tag: 'payments',
    summary: `Payments in a date window with completed totals per currency ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: historyResponse,
  },
  {
    method: 'get',
    path: '/api/payments/payments/by_customer',
    tag: 'payments',
    summary: `Money received per customer (completed payments net of refunds) ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: z.array(customerPaymentTotals),
  },
  {
    method: 'get',
    path: '/api/payments/payments/{id}',
    tag: 'payments',
    summary: 'One payment',
    response: paymentView,
  },
  {
    method: 'patch',
    path: '/api/payments/payments/{id}',
    tag: 'payments',
    summary:
      'Complete or fail a pending payment (a completed payment settles its invoice only then), or correct remarks/transaction id',
    body: updatePaymentRequest,
    response: paymentView,
  },
  {
    method: 'post',
    path: '/api/payments/payments/{id}/void',
    tag: 'payments',
    summary: `Void a completed payment: what is left of it comes off its invoice.${IDEMPOTENT}`,
    body: voidPaymentRequest,
    response: paymentView,
  },
  {
    method: 'post',
    path: '/api/payments/payments/{id}/refund',
    tag: 'payments',
    summary: `Refund part or all of a completed payment (refunds add up to at most the amount paid).${IDEMPOTENT}`,
    body: refundPaymentRequest,
    status: 201,
    response: paymentView,
  },
  {
    method: 'get',
    path: '/api/payments/payment-details',
    tag: 'payments',
    summary: `Payment details (every payment is a detail of its master); filter payment_master_id ${PAYMENT_SEARCH}`,
    query: paymentListQuery.extend({ payment_master_id: z.string().optional() }),
    response: pageSchema(paymentDetailView),
  },
  {
    method: 'post',
    path: '/api/payments/payment-details',
    tag: 'payments',
    summary: `Add money to a payment master: a further payment on its invoice.${IDEMPOTENT}`,
    body: createPaymentDetailRequest,
    status: 201,
    response: paymentDetailView,
  },
  {
    method: 'get',
    path: '/api/payments/payment-details/{id}',
    tag: 'payments',
    summary: 'One payment detail',
    response: paymentDetailView,
  },
  {
    method: 'get',
    path: '/api/payments/reconciliation',
    tag: 'payments',
    summary:
      'Completed payments, voids and refunds older than the grace period that billing has not reflected yet (empty in normal operation)',
    query: z.object({ grace_seconds: z.string().optional().describe('default 30') }),
    response: z.object({
      results: z.array(reconciliationItem),
      count: z.number(),
      grace_seconds: reconciliationQuery.shape.grace_seconds,
    }),
  },
  {
    method: 'get',
    path: '/v1/billing/payments',
    tag: 'payments',
    summary:
      "The caller tenant's payments to the platform (search: invoice_id, payment_method, status)",
    query: listParams({ status: z.string().optional() }),
    response: pageSchema(platformPaymentView),
  },
  {
    method: 'post',
    path: '/v1/billing/payments',
    tag: 'payments',
    summary: `Pay an invoice the platform issued to the caller's tenant (the balance due when amount is omitted).${IDEMPOTENT}`,
    body: createPlatformPaymentRequest,
    status: 201,
    response: platformPaymentView,
  },
  {
    method: 'get',
    path: '/v1/billing/payment-methods',
    tag: 'payments',
    summary: "The payment methods and whether the caller's tenant accepts each",
    response: z.object({ results: z.array(paymentMethodView) }),
  },
  {
    method: 'patch',
    path: '/v1/billing/payment-methods/{method}',
    tag: 'payments',
    summary: 'Enable or disable a payment method for the tenant (owner or admin)',
    body: updatePaymentMethodRequest,
    response: paymentMethodView,
  },
];
