import { z } from 'zod';
import { createPaymentRequest, paymentView } from './api/payments';
import { pageSchema } from './envelope';
import { historyQuery, historyWindow, listQuery, type RouteSpec } from './openapi-types';

const paymentListQuery = listQuery.extend({
  customer_id: z.string().optional(),
  invoice_master_id: z.string().optional(),
  status: z.string().optional(),
  payment_method: z.string().optional(),
});

const paymentTotals = z.object({
  currency: z.string(),
  total_received: z.string(),
  payment_count: z.number(),
});

/** The payments service's public routes (seed 002 PAYMENT app and the customer's payments). */
export const PAYMENT_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/customers/customers/{id}/payments',
    tag: 'payments',
    summary: "A customer's payments (answered by payments)",
    query: historyQuery,
    response: pageSchema(paymentView),
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/payment_history',
    tag: 'payments',
    summary: "A customer's payments in a date window or period, with completed totals per currency",
    query: historyQuery,
    response: pageSchema(paymentView).extend({
      ...historyWindow,
      totals: paymentTotals.nullable(),
      other_currency_totals: z.array(paymentTotals),
    }),
  },
  {
    method: 'get',
    path: '/api/payments/payments',
    tag: 'payments',
    summary: 'List payments',
    query: paymentListQuery,
    response: pageSchema(paymentView),
  },
  {
    method: 'post',
    path: '/api/payments/payments',
    tag: 'payments',
    summary: 'Record a payment against an issued invoice',
    body: createPaymentRequest,
    status: 201,
    response: paymentView,
  },
  {
    method: 'get',
    path: '/api/payments/payments/{id}',
    tag: 'payments',
    summary: 'One payment',
    response: paymentView,
  },
];
