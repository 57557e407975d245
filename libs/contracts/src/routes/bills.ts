import { z } from 'zod';
import { billingRunView, createBillingRunRequest } from '../api/billing-runs';
import { invoiceView } from '../api/invoices';
import { pageSchema } from '../envelope';
import { filterParam as f, historyWindow, listParams } from '../list-query';
import { component } from '../component';
import { defineRoute } from '../route';

/** What an invoice search reads (q_f names). */
export const INVOICE_SEARCH = '(search: invoice_number, bill_number, status, remarks)';

export const historyTotals = component(
  'InvoiceTotals',
  z.object({
    currency: z.string(),
    total_billed: z.string(),
    total_paid: z.string(),
    /** Taken off by credit notes (issue 17): billed = paid + credited + due. */
    total_credited: z.string(),
    total_due: z.string(),
    count: z.number(),
  }),
);

const customerBill = <const P extends string>(
  operationId: `customers.${string}`,
  path: P,
  summary: string,
) =>
  defineRoute({
    method: 'get',
    operationId,
    path,
    tag: 'bills',
    permission: 'bills:read',
    summary,
    response: invoiceView,
  });

/** Billing runs: many entitlements billed by the workers (billing service). */
export const BILLING_RUN_ROUTES = {
  start: defineRoute({
    method: 'post',
    operationId: 'billingRuns.start',
    path: '/api/bills/billing-runs',
    tag: 'bills',
    permission: 'bills:create',
    summary:
      'Start a billing run over every entitlement with billable details in the period (202; workers generate)',
    body: createBillingRunRequest,
    status: 202,
    response: billingRunView,
  }),
  list: defineRoute({
    method: 'get',
    operationId: 'billingRuns.list',
    path: '/api/bills/billing-runs',
    tag: 'bills',
    permission: 'bills:read',
    summary: 'Billing runs, newest first (search: id, status, period_start, period_end)',
    query: listParams({ status: f.text('run status') }),
    response: pageSchema(billingRunView),
  }),
  get: defineRoute({
    method: 'get',
    operationId: 'billingRuns.get',
    path: '/api/bills/billing-runs/{id}',
    tag: 'bills',
    permission: 'bills:read',
    summary: 'A billing run: status, progress (generated, skipped, failed) and errors',
    response: billingRunView,
  }),
};

/** Seed 002's customer bill sub-resources, answered by billing (the gateway routes them). */
export const CUSTOMER_BILL_ROUTES = {
  invoices: defineRoute({
    method: 'get',
    operationId: 'customers.listInvoices',
    path: '/api/customers/customers/{id}/invoices',
    tag: 'bills',
    permission: 'bills:read',
    summary: `A customer's issued invoices (answered by billing) ${INVOICE_SEARCH}`,
    query: listParams(),
    response: pageSchema(invoiceView),
  }),
  billHistory: defineRoute({
    method: 'get',
    operationId: 'customers.billHistory',
    path: '/api/customers/customers/{id}/bill_history',
    tag: 'bills',
    permission: 'bills:read',
    summary: `A customer's bills in a date window or period, with totals per currency ${INVOICE_SEARCH}`,
    query: listParams(),
    response: pageSchema(invoiceView).extend({
      ...historyWindow,
      totals: historyTotals.nullable(),
      other_currency_totals: z.array(historyTotals),
    }),
  }),
  lastBill: customerBill(
    'customers.lastBill',
    '/api/customers/customers/{id}/last_bill',
    "The customer's most recent bill (404 when none)",
  ),
  previousBill: customerBill(
    'customers.previousBill',
    '/api/customers/customers/{id}/previous_bill',
    'The bill before the last one (404 when none)',
  ),
};
