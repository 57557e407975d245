import { z } from 'zod';
import {
  createInvoiceDetailRequest,
  createInvoiceRequest,
  invoiceDetailView,
  invoiceView,
} from './api/invoices';
import { pageSchema } from './envelope';
import { historyQuery, historyWindow, listQuery, type RouteSpec } from './openapi-types';

const invoiceListQuery = listQuery.extend({
  customer_id: z.string().optional(),
  status: z.string().optional(),
});

const historyTotals = z.object({
  currency: z.string(),
  total_billed: z.string(),
  total_paid: z.string(),
  total_due: z.string(),
  count: z.number(),
});

/** The billing service's invoice routes (seed 002 BILLS app and the customer's bill sub-resources). */
export const BILLING_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/bills/invoices',
    tag: 'bills',
    summary: 'List invoices',
    query: invoiceListQuery,
    response: pageSchema(invoiceView),
  },
  {
    method: 'post',
    path: '/api/bills/invoices',
    tag: 'bills',
    summary: 'Create an invoice (draft, or issued with status "unpaid")',
    body: createInvoiceRequest,
    status: 201,
    response: invoiceView,
  },
  {
    method: 'get',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    summary: 'One invoice with its lines and totals',
    response: invoiceView,
  },
  {
    method: 'post',
    path: '/api/bills/invoices/{id}/issue',
    tag: 'bills',
    summary: 'Issue a draft: it gets the next gapless invoice number and becomes unpaid',
    response: invoiceView,
  },
  {
    method: 'post',
    path: '/api/bills/invoices/{id}/void',
    tag: 'bills',
    summary: 'Void a draft or an issued invoice nothing was paid on',
    response: invoiceView,
  },
  {
    method: 'post',
    path: '/api/bills/invoice-details',
    tag: 'bills',
    summary: 'Add a line to a draft invoice (totals recalculated)',
    body: createInvoiceDetailRequest,
    status: 201,
    response: invoiceDetailView.extend({ invoice: invoiceView }),
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/invoices',
    tag: 'bills',
    summary: "A customer's issued invoices (answered by billing)",
    query: historyQuery,
    response: pageSchema(invoiceView),
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/bill_history',
    tag: 'bills',
    summary: "A customer's bills in a date window or period, with totals per currency",
    query: historyQuery,
    response: pageSchema(invoiceView).extend({
      ...historyWindow,
      totals: historyTotals.nullable(),
      other_currency_totals: z.array(historyTotals),
    }),
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/last_bill',
    tag: 'bills',
    summary: "The customer's most recent bill (404 when none)",
    response: invoiceView,
  },
  {
    method: 'get',
    path: '/api/customers/customers/{id}/previous_bill',
    tag: 'bills',
    summary: 'The bill before the last one (404 when none)',
    response: invoiceView,
  },
];
