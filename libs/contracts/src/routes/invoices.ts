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
} from '../api/invoices';
import { pageSchema } from '../envelope';
import { filterParam as f, historyWindow, listParams } from '../list-query';
import { binaryResponse, defineRoute } from '../route';
import { historyTotals, INVOICE_SEARCH } from './bills';

/** A line as seed 002 answers it: the line with its invoice (totals recalculated). */
const lineWithInvoice = invoiceDetailView.extend({ invoice: invoiceView });

const invoice = <const M extends 'get' | 'post', const P extends string>(
  operationId: `invoices.${string}`,
  method: M,
  path: P,
  summary: string,
) =>
  defineRoute({
    method,
    operationId,
    path,
    tag: 'bills',
    permission: method === 'get' ? 'bills:read' : 'bills:update',
    summary,
    response: invoiceView,
  });

/** PATCH and PUT of a draft invoice take the same body (PUT replaces the fields it names). */
const invoiceEdit = <const M extends 'patch' | 'put'>(method: M, summary: string) =>
  defineRoute({
    method,
    operationId: method === 'put' ? 'invoices.replace' : 'invoices.update',
    path: '/api/bills/invoices/{id}',
    tag: 'bills',
    permission: 'bills:update',
    summary,
    body: updateInvoiceRequest,
    response: invoiceView,
  });

const lineEdit = <const M extends 'patch' | 'put'>(method: M, summary: string) =>
  defineRoute({
    method,
    operationId: method === 'put' ? 'invoiceLines.replace' : 'invoiceLines.update',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    permission: 'bills:update',
    summary,
    body: updateInvoiceDetailRequest,
    response: lineWithInvoice,
  });

const removal = <const P extends string>(
  operationId: `${string}.delete`,
  path: P,
  summary: string,
) =>
  defineRoute({
    method: 'delete',
    operationId,
    path,
    tag: 'bills',
    permission: 'bills:update',
    summary,
    status: 204,
    response: z.null(),
  });

/** What an invoice's PDF is (both the tenant's invoices and the platform's to a tenant). */
export const INVOICE_PDF_SUMMARY =
  'The invoice as a PDF document, rendered on request (identical invoice, identical bytes): issuer and customer, lines with VAT and discount, totals, amount paid and due, payment instructions; DRAFT, PAID or VOID marked';

/** Seed 002's BILLS app: invoices and invoice lines (billing service). */
export const INVOICE_ROUTES = {
  list: defineRoute({
    method: 'get',
    operationId: 'invoices.list',
    path: '/api/bills/invoices',
    tag: 'bills',
    permission: 'bills:read',
    summary: `List invoices ${INVOICE_SEARCH}`,
    query: listParams({
      customer_id: f.text('the customer the invoices bill'),
      status: f.text('draft, unpaid, partial, paid or void'),
      customer_entitlement_master_id: f.text('the entitlement the invoices bill'),
      billing_run_id: f.text('the billing run that generated them'),
    }),
    response: pageSchema(invoiceView),
  }),
  create: defineRoute({
    method: 'post',
    operationId: 'invoices.create',
    path: '/api/bills/invoices',
    tag: 'bills',
    permission: 'bills:create',
    summary: 'Create an invoice (draft, or issued with status "unpaid")',
    body: createInvoiceRequest,
    status: 201,
    response: invoiceView,
  }),
  autoGenerate: defineRoute({
    method: 'post',
    operationId: 'invoices.autoGenerate',
    path: '/api/bills/invoices/auto_generate',
    tag: 'bills',
    permission: 'bills:create',
    summary:
      "Bill an entitlement: the period sent, else every month due up to today not billed yet, one invoice each (idempotent per month: the same call again creates nothing and answers the same invoices, each marked `created: false`). The answer is the latest month's invoice with `invoices` listing every month's",
    body: autoGenerateRequest,
    status: 201,
    response: autoGenerateView,
  }),
  history: defineRoute({
    method: 'get',
    operationId: 'invoices.history',
    path: '/api/bills/invoices/history',
    tag: 'bills',
    permission: 'bills:read',
    summary: `Issued invoices in a window or period with totals per currency ${INVOICE_SEARCH}`,
    query: listParams({ customer_id: f.text('only this customer') }),
    response: z.object({
      invoices: z.array(invoiceView),
      count: z.number(),
      page: z.number(),
      per_page: z.number(),
      ...historyWindow,
      totals: historyTotals.nullable(),
      other_currency_totals: z.array(historyTotals),
    }),
  }),
  get: invoice(
    'invoices.get',
    'get',
    '/api/bills/invoices/{id}',
    'One invoice with its lines and totals',
  ),
  pdf: defineRoute({
    method: 'get',
    operationId: 'invoices.pdf',
    path: '/api/bills/invoices/{id}/pdf',
    tag: 'bills',
    permission: 'bills:read',
    summary: INVOICE_PDF_SUMMARY,
    produces: 'application/pdf',
    response: binaryResponse,
  }),
  patch: invoiceEdit(
    'patch',
    'Change a draft (totals recalculated); status issues or voids; issued invoices: 409',
  ),
  replace: invoiceEdit(
    'put',
    "Replace a draft's fields (totals recalculated); issued invoices: 409",
  ),
  remove: removal(
    'invoices.delete',
    '/api/bills/invoices/{id}',
    'Delete a draft (issued invoices are voided instead: 409)',
  ),
  issue: invoice(
    'invoices.issue',
    'post',
    '/api/bills/invoices/{id}/issue',
    'Issue a draft: it gets the next gapless invoice number and becomes unpaid',
  ),
  void: invoice(
    'invoices.void',
    'post',
    '/api/bills/invoices/{id}/void',
    'Void a draft or an issued invoice nothing was paid on',
  ),
  addLine: defineRoute({
    method: 'post',
    operationId: 'invoiceLines.create',
    path: '/api/bills/invoice-details',
    tag: 'bills',
    permission: 'bills:create',
    summary: 'Add a line to a draft invoice (totals recalculated)',
    body: createInvoiceDetailRequest,
    status: 201,
    response: lineWithInvoice,
  }),
  lines: defineRoute({
    method: 'get',
    operationId: 'invoiceLines.list',
    path: '/api/bills/invoice-details',
    tag: 'bills',
    permission: 'bills:read',
    summary: `Invoice lines (filter invoice_master_id; without it, the lines of the 100 most recent invoices) ${INVOICE_SEARCH}`,
    query: listParams({ invoice_master_id: f.text('the invoice whose lines are listed') }),
    response: pageSchema(invoiceDetailView),
  }),
  line: defineRoute({
    method: 'get',
    operationId: 'invoiceLines.get',
    path: '/api/bills/invoice-details/{id}',
    tag: 'bills',
    permission: 'bills:read',
    summary: 'One invoice line with its invoice',
    response: lineWithInvoice,
  }),
  patchLine: lineEdit('patch', "Change a draft's line (totals recalculated)"),
  replaceLine: lineEdit('put', "Replace a draft's line (totals recalculated)"),
  removeLine: removal(
    'invoiceLines.delete',
    '/api/bills/invoice-details/{id}',
    "Remove a draft's line (totals recalculated)",
  ),
};
