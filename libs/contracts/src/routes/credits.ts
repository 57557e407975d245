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
  usageAnalyticsQuery,
  usageAnalyticsView,
} from '../api/credits';
import { invoiceView } from '../api/invoices';
import { CREDIT_TRANSACTION_TYPES } from '../events-credits';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { binaryResponse, defineRoute } from '../route';
import { INVOICE_PDF_SUMMARY } from './invoices';

const balance = <const P extends string>(
  operationId: `credits.${string}`,
  path: P,
  summary: string,
) =>
  defineRoute({
    method: 'get',
    operationId,
    path,
    tag: 'credits',
    permission: 'credits:read',
    summary,
    response: creditBalanceView,
  });

/** Seed 000's prepaid credits, credit packages and the platform's invoices to a tenant (billing). */
export const CREDIT_ROUTES = {
  balance: balance(
    'credits.getBalance',
    '/v1/billing/credits/balance/balance',
    "The tenant's credit balance, monthly plan credits and this month's usage",
  ),
  balanceAlias: balance(
    'credits.getBalanceAlias',
    '/v1/billing/credits/balance',
    'The same (alias)',
  ),
  transactions: defineRoute({
    method: 'get',
    operationId: 'credits.listTransactions',
    path: '/v1/billing/transactions',
    tag: 'credits',
    permission: 'credits:read',
    summary:
      'Credit transactions, newest first (filter: transaction_type, start_date, end_date) (search: description, transaction_type, operation_type)',
    query: listParams({ transaction_type: f.someOf(CREDIT_TRANSACTION_TYPES) }),
    response: pageSchema(creditTransactionView),
  }),
  usage: defineRoute({
    method: 'get',
    operationId: 'credits.listUsage',
    path: '/v1/billing/credits/usage',
    tag: 'credits',
    permission: 'credits:read',
    summary:
      'Credit usage logs (the deductions), newest first (search: description, operation_type)',
    query: listParams(),
    response: pageSchema(creditUsageView),
  }),
  consume: defineRoute({
    method: 'post',
    operationId: 'credits.consume',
    path: '/v1/billing/credits/usage',
    idempotent: true,
    tag: 'credits',
    permission: 'credits:consume',
    summary:
      'Consume credits for an operation; 402 insufficient_credits when the balance does not cover it (Idempotency-Key: consumed once)',
    body: consumeCreditsRequest,
    status: 201,
    response: consumeCreditsResponse,
  }),
  packages: defineRoute({
    method: 'get',
    operationId: 'creditPackages.list',
    path: '/v1/billing/credit-packages',
    tag: 'credits',
    permission: 'credits:read',
    summary:
      'Credit packages on sale (platform administrators also see inactive ones) (search: name)',
    query: listParams(),
    response: pageSchema(creditPackageView),
  }),
  createPackage: defineRoute({
    method: 'post',
    operationId: 'creditPackages.create',
    path: '/v1/billing/credit-packages',
    tag: 'credits',
    platformAdmin: true,
    summary: 'Create a credit package (platform admin)',
    body: creditPackageRequest,
    status: 201,
    response: creditPackageView,
  }),
  getPackage: defineRoute({
    method: 'get',
    operationId: 'creditPackages.get',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    permission: 'credits:read',
    summary: 'One credit package',
    response: creditPackageView,
  }),
  updatePackage: defineRoute({
    method: 'patch',
    operationId: 'creditPackages.update',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    platformAdmin: true,
    summary: 'Change a credit package (platform admin); past purchases keep their price',
    body: creditPackagePatchRequest,
    response: creditPackageView,
  }),
  deactivatePackage: defineRoute({
    method: 'delete',
    operationId: 'creditPackages.deactivate',
    path: '/v1/billing/credit-packages/{id}',
    tag: 'credits',
    platformAdmin: true,
    summary: 'Deactivate a credit package (platform admin); it can no longer be bought',
    response: creditPackageView,
  }),
  purchase: defineRoute({
    method: 'post',
    operationId: 'creditPackages.purchase',
    path: '/v1/billing/credit-packages/{id}/purchase',
    idempotent: true,
    tag: 'credits',
    permission: 'payments:create',
    summary:
      'Buy a package: the platform issues an invoice to the tenant; the credits are granted once it is paid (Idempotency-Key: bought once)',
    status: 201,
    response: creditPurchaseView,
  }),
  invoices: defineRoute({
    method: 'get',
    operationId: 'platformInvoices.list',
    path: '/v1/billing/invoices',
    tag: 'credits',
    permission: 'bills:read',
    summary:
      'Invoices the platform issued to the tenant (plan periods, credit packages) (search: invoice_number, bill_number, status, remarks)',
    query: listParams({ status: f.text('invoice status') }),
    response: pageSchema(platformInvoiceSummaryView),
  }),
  invoice: defineRoute({
    method: 'get',
    operationId: 'platformInvoices.get',
    path: '/v1/billing/invoices/{id}',
    tag: 'credits',
    permission: 'bills:read',
    summary: 'One invoice the platform issued to the tenant, with its lines and totals',
    response: invoiceView,
  }),
  invoicePdf: defineRoute({
    method: 'get',
    operationId: 'platformInvoices.pdf',
    path: '/v1/billing/invoices/{id}/pdf',
    tag: 'credits',
    permission: 'bills:read',
    summary: INVOICE_PDF_SUMMARY,
    produces: 'application/pdf',
    response: binaryResponse,
  }),
  usageAnalytics: defineRoute({
    method: 'get',
    operationId: 'usageAnalytics.get',
    path: '/v1/account/usage/analytics',
    tag: 'account',
    permission: 'credits:read',
    summary: 'Credit usage over the last `days` days (1..365, default 30)',
    query: usageAnalyticsQuery,
    response: usageAnalyticsView,
  }),
};
