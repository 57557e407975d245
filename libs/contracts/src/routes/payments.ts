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
} from '../api/payments';
import { pageSchema } from '../envelope';
import { filterParam as f, historyWindow, listParams } from '../list-query';
import { component } from '../component';
import { defineRoute } from '../route';

/** The filters of a payment list (one customer's lists take them too, but not customer_id). */
const paymentFilters = {
  invoice_master_id: f.text('the invoice paid'),
  status: f.text('pending, completed, failed or voided'),
  payment_method: f.text('a method code, or its name ("Bank Transfer" finds bank)'),
};
const paymentListQuery = listParams({
  customer_id: f.text('the paying customer'),
  ...paymentFilters,
});

/** What a payment search reads (q_f names); one customer's lists leave out its name. */
const PAYMENT_SEARCH = '(search: transaction_id, remarks, payment_method, status, customer_name)';
const CUSTOMER_PAYMENT_SEARCH = '(search: transaction_id, remarks, payment_method, status)';

const paymentTotals = component(
  'PaymentTotals',
  z.object({ currency: z.string(), total_received: z.string(), payment_count: z.number() }),
);

const historyResponse = pageSchema(paymentView).extend({
  ...historyWindow,
  totals: paymentTotals.nullable(),
  other_currency_totals: z.array(paymentTotals),
});

/** Every POST that moves money takes this header (Stripe's rules; see libs/platform idempotency.ts). */
const IDEMPOTENT =
  ' Send an `Idempotency-Key` header: a repeat with the same key and body replays the first answer, the same key with another body is a 422, a repeat while the first runs is a 409 (keys kept 24 h).';

/** Seed 002's customer sub-resources that payments answers (the gateway routes them here). */
export const CUSTOMER_PAYMENT_ROUTES = {
  payments: defineRoute({
    method: 'get',
    operationId: 'customers.listPayments',
    path: '/api/customers/customers/{id}/payments',
    tag: 'payments',
    permission: 'payments:read',
    summary: `A customer's payments (answered by payments) ${CUSTOMER_PAYMENT_SEARCH}`,
    query: listParams(paymentFilters),
    response: pageSchema(paymentView),
  }),
  paymentHistory: defineRoute({
    method: 'get',
    operationId: 'customers.paymentHistory',
    path: '/api/customers/customers/{id}/payment_history',
    tag: 'payments',
    permission: 'payments:read',
    summary: `A customer's payments in a date window or period, with completed totals (net of refunds) per currency ${CUSTOMER_PAYMENT_SEARCH}`,
    query: listParams(paymentFilters),
    response: historyResponse,
  }),
};

/** Seed 002 PAYMENT app: /api/payments/payments/, payment-details and the reconciliation report. */
export const PAYMENT_ROUTES = {
  list: defineRoute({
    method: 'get',
    operationId: 'payments.list',
    path: '/api/payments/payments',
    tag: 'payments',
    permission: 'payments:read',
    summary: `List payments ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: pageSchema(paymentView),
  }),
  create: defineRoute({
    method: 'post',
    operationId: 'payments.create',
    path: '/api/payments/payments',
    idempotent: true,
    tag: 'payments',
    permission: 'payments:create',
    summary: `Record a payment against an issued invoice (amount at most the balance due, an enabled method; "Bank Transfer" is stored as bank).${IDEMPOTENT}`,
    body: createPaymentRequest,
    status: 201,
    response: paymentView,
  }),
  history: defineRoute({
    method: 'get',
    operationId: 'payments.history',
    path: '/api/payments/payments/history',
    tag: 'payments',
    permission: 'payments:read',
    summary: `Payments in a date window with completed totals per currency ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: historyResponse,
  }),
  byCustomer: defineRoute({
    method: 'get',
    operationId: 'payments.byCustomer',
    path: '/api/payments/payments/by_customer',
    tag: 'payments',
    permission: 'payments:read',
    summary: `Money received per customer (completed payments net of refunds) ${PAYMENT_SEARCH}`,
    query: paymentListQuery,
    response: z.array(customerPaymentTotals),
  }),
  get: defineRoute({
    method: 'get',
    operationId: 'payments.get',
    path: '/api/payments/payments/{id}',
    tag: 'payments',
    permission: 'payments:read',
    summary: 'One payment',
    response: paymentView,
  }),
  update: defineRoute({
    method: 'patch',
    operationId: 'payments.update',
    path: '/api/payments/payments/{id}',
    tag: 'payments',
    permission: 'payments:update',
    summary:
      'Complete or fail a pending payment (a completed payment settles its invoice only then), or correct remarks/transaction id',
    body: updatePaymentRequest,
    response: paymentView,
  }),
  void: defineRoute({
    method: 'post',
    operationId: 'payments.void',
    path: '/api/payments/payments/{id}/void',
    idempotent: true,
    tag: 'payments',
    permission: 'payments:update',
    summary: `Void a completed payment: what is left of it comes off its invoice.${IDEMPOTENT}`,
    body: voidPaymentRequest,
    response: paymentView,
  }),
  refund: defineRoute({
    method: 'post',
    operationId: 'payments.refund',
    path: '/api/payments/payments/{id}/refund',
    idempotent: true,
    tag: 'payments',
    permission: 'payments:update',
    summary: `Refund part or all of a completed payment (refunds add up to at most the amount paid).${IDEMPOTENT}`,
    body: refundPaymentRequest,
    status: 201,
    response: paymentView,
  }),
  details: defineRoute({
    method: 'get',
    operationId: 'paymentDetails.list',
    path: '/api/payments/payment-details',
    tag: 'payments',
    permission: 'payments:read',
    summary: `Payment details (every payment is a detail of its master); filter payment_master_id ${PAYMENT_SEARCH}`,
    query: listParams({
      customer_id: f.text('the paying customer'),
      ...paymentFilters,
      payment_master_id: f.text('the master whose details are listed'),
    }),
    response: pageSchema(paymentDetailView),
  }),
  createDetail: defineRoute({
    method: 'post',
    operationId: 'paymentDetails.create',
    path: '/api/payments/payment-details',
    idempotent: true,
    tag: 'payments',
    permission: 'payments:create',
    summary: `Add money to a payment master: a further payment on its invoice.${IDEMPOTENT}`,
    body: createPaymentDetailRequest,
    status: 201,
    response: paymentDetailView,
  }),
  getDetail: defineRoute({
    method: 'get',
    operationId: 'paymentDetails.get',
    path: '/api/payments/payment-details/{id}',
    tag: 'payments',
    permission: 'payments:read',
    summary: 'One payment detail',
    response: paymentDetailView,
  }),
  reconciliation: defineRoute({
    method: 'get',
    operationId: 'payments.reconciliation',
    path: '/api/payments/reconciliation',
    tag: 'payments',
    permission: 'payments:read',
    summary:
      'Completed payments, voids and refunds older than the grace period that billing has not reflected yet (empty in normal operation)',
    query: reconciliationQuery,
    response: z.object({
      results: z.array(reconciliationItem),
      count: z.number(),
      grace_seconds: z.number(),
    }),
  }),
};

/** Seed 000 /v1/billing: a tenant's payments to the platform and the methods it accepts. */
export const PLATFORM_PAYMENT_ROUTES = {
  list: defineRoute({
    method: 'get',
    operationId: 'platformPayments.list',
    path: '/v1/billing/payments',
    tag: 'payments',
    permission: 'payments:read',
    summary:
      "The caller tenant's payments to the platform (search: invoice_id, payment_method, status)",
    query: listParams({ status: f.text('pending, completed, failed or voided') }),
    response: pageSchema(platformPaymentView),
  }),
  create: defineRoute({
    method: 'post',
    operationId: 'platformPayments.create',
    path: '/v1/billing/payments',
    idempotent: true,
    tag: 'payments',
    permission: 'payments:create',
    summary: `Pay an invoice the platform issued to the caller's tenant (the balance due when amount is omitted).${IDEMPOTENT}`,
    body: createPlatformPaymentRequest,
    status: 201,
    response: platformPaymentView,
  }),
  methods: defineRoute({
    method: 'get',
    operationId: 'paymentMethods.list',
    path: '/v1/billing/payment-methods',
    tag: 'payments',
    permission: 'payments:read',
    summary: "The payment methods and whether the caller's tenant accepts each",
    response: z.object({ results: z.array(paymentMethodView) }),
  }),
  setMethod: defineRoute({
    method: 'patch',
    operationId: 'paymentMethods.update',
    path: '/v1/billing/payment-methods/{method}',
    tag: 'payments',
    permission: 'settings:update',
    summary: 'Enable or disable a payment method for the tenant (owner or admin)',
    body: updatePaymentMethodRequest,
    response: paymentMethodView,
  }),
};
