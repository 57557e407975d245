import { z } from 'zod';
import {
  autoGenerateRequest,
  autoGenerateView,
  createInvoiceDetailRequest,
  createInvoiceRequest,
  invoiceDetailView,
  invoiceView,
  updateInvoiceDetailRequest,
  updateInvoiceRequest,
} from './api/invoices';
import { pageSchema } from './envelope';
import { listParams } from './list-query';
import { historyWindow, type RouteSpec } from './openapi-types';
import { historyTotals, INVOICE_SEARCH } from './routes/bills';

const invoiceListQuery = listParams({
  customer_id: z.string().optional(),
  status: z.string().optional(),
  customer_entitlement_master_id: z.string().optional(),
  billing_run_id: z.string().optional(),
});

const detailListQuery = listParams({ invoice_master_id: z.string().optional() });
const invoiceHistoryQuery = listParams({ customer_id: z.string().optional() });

/** The billing service's invoice routes (seed 002 BILLS app and the customer's bill sub-resources). */
export const BILLING_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/bills/invoices',
    tag: 'bills',
    summary: `List invoices ${INVOICE_SEARCH}`,
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
    method: 'post',
    path: '/api/bills/invoices/auto_generate',
    tag: 'bills',
    summary:
      "Bill an entitlement: the period sent, else every month due up to today not billed yet, one invoice each (idempotent per month: 201 when one was made, 200 when all were billed already). The answer is the latest month's invoice with `invoices` listing every month's",
    body: autoGenerateRequest,
    status: 201,
    response: autoGenerateView,
  },
  {
    method: 'get',
    path: '/api/bills/invoices/history',
    tag: 'bills',
    summary: `Issued invoices in a window or period with totals per currency ${INVOICE_SEARCH}`,
    query: invoiceHistoryQuery,
    response: z.object({
      invoices: z.array(invoiceView),
      count: z.number(),
      page: z.number(),
      per_page: z.number(),
      ...historyWindow,
      totals: historyTotals.nullable(),
      other_currency_totals: z.array(historyTotals),
    }),
  },
  {
    method: 'get',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    summary: 'One invoice with its lines and totals',
    response: invoiceView,
  },
  {
    method: 'patch',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    summary: 'Change a draft (totals recalculated); status issues or voids; issued invoices: 409',
    body: updateInvoiceRequest,
    response: invoiceView,
  },
  {
    method: 'put',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    summary: "Replace a draft's fields (totals recalculated); issued invoices: 409",
    body: updateInvoiceRequest,
    response: invoiceView,
  },
  {
    method: 'delete',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    summary: 'Delete a draft (issued invoices are voided instead: 409)',
    status: 204,
    response: z.null(),
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
    path: '/api/bills/invoice-details',
    tag: 'bills',
    summary:
      'Invoice lines (filter invoice_master_id; without it, the lines of the 100 most recent invoices) (search: invoice_number, bill_number, status, remarks)',
    query: detailListQuery,
    response: pageSchema(invoiceDetailView),
  },
  {
    method: 'get',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    summary: 'One invoice line with its invoice',
    response: invoiceDetailView.extend({ invoice: invoiceView }),
  },
  {
    method: 'patch',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    summary: "Change a draft's line (totals recalculated)",
    body: updateInvoiceDetailRequest,
    response: invoiceDetailView.extend({ invoice: invoiceView }),
  },
  {
    method: 'put',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    summary: "Replace a draft's line (totals recalculated)",
    body: updateInvoiceDetailRequest,
    response: invoiceDetailView.extend({ invoice: invoiceView }),
  },
  {
    method: 'delete',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    summary: "Remove a draft's line (totals recalculated)",
    status: 204,
    response: z.null(),
  },
];
