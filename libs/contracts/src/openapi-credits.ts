import { z } from 'zod';
import {
  consumeCreditsRequest,
  consumeCreditsResponse,
  creditBalanceView,
  creditPackagePatchRequest,
  creditPackageRequest,
  creditPackageView,
  creditPurchaseView,
  creditTransactionView,
  creditUsageView,
  platformInvoiceSummaryView,
  usageAnalyticsView,
} from './api/credits';
import { invoiceView } from './api/invoices';
import { pageSchema } from './envelope';
import { listQuery, type RouteSpec } from './openapi-types';

const transactionQuery = listQuery.extend({
  transaction_type: z.enum(['grant', 'purchase', 'deduction', 'refund']).optional(),
});

/** Seed 000's prepaid credits, credit packages and the platform's invoices to a tenant (billing). */
export const CREDIT_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/billing/credits/balance/balance',
    tag: 'credits',
    summary: "The tenant's credit balance, monthly plan credits and this month's usage",
    response: creditBalanceView,
  },
  {
    method: 'get',
    path: '/v1/billing/transactions',
    tag: 'credits',
    summary:
      'Credit transactions, newest first (filter: transaction_type, start_date, end_date) (search: description, transaction_type, operation_type)',
    query: transactionQuery,
    response: pageSchema(creditTransactionView),
  },
  {
    method: 'get',
    path: '/v1/billing/credits/usage',
    tag: 'credits',
    summary:
      'Credit usage logs (the deductions), newest first (search: description, operation_type)',
    query: listQuery,
    response: pageSchema(creditUsageView),
  },
  {
    method: 'post',
    path: '/v1/billing/credits/usage',
    tag: 'credits',
    summary:
      'Consume credits for an operation; 402 insufficient_credits when the balance does not cover it',
    body: consumeCreditsRequest,
    status: 201,
    response: consumeCreditsResponse,
  },
  {
    method: 'get',
    path: '/v1/billing/credit-packages',
    tag: 'credits',
    summary:
      'Credit packages on sale (platform administrators also see inactive ones) (search: name)',
    query: listQuery,
    response: pageSchema(creditPackageView),
  },
  {
    method: 'post',
    path: '/v1/billing/credit-packages',
    tag: 'credits',
    summary: 'Create a credit package (platform admin)',
    body: creditPackageRequest,
    status: 201,
    response: creditPackageView,
  },
  {
    method: 'get',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    summary: 'One credit package',
    response: creditPackageView,
  },
  {
    method: 'patch',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    summary: 'Change a credit package (platform admin); past purchases keep their price',
    body: creditPackagePatchRequest,
    response: creditPackageView,
  },
  {
    method: 'delete',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    summary: 'Deactivate a credit package (platform admin); it can no longer be bought',
    response: creditPackageView,
  },
  {
    method: 'post',
    path: '/v1/billing/credit-packages/{id}/purchase',
    tag: 'credits',
    summary:
      'Buy a package: the platform issues an invoice to the tenant; the credits are granted once it is paid',
    status: 201,
    response: creditPurchaseView,
  },
  {
    method: 'get',
    path: '/v1/billing/invoices',
    tag: 'credits',
    summary:
      'Invoices the platform issued to the tenant (plan periods, credit packages) (search: invoice_number, bill_number, status, remarks)',
    query: listQuery.extend({ status: z.string().optional() }),
    response: pageSchema(platformInvoiceSummaryView),
  },
  {
    method: 'get',
    path: '/v1/billing/invoices/{id}',
    tag: 'credits',
    summary: 'One invoice the platform issued to the tenant, with its lines and totals',
    response: invoiceView,
  },
  {
    method: 'get',
    path: '/v1/account/usage/analytics',
    tag: 'account',
    summary: 'Credit usage over the last `days` days (1..365, default 30)',
    query: z.object({ days: z.string().optional().describe('1..365, default 30') }),
    response: usageAnalyticsView,
  },
];
