import { z } from 'zod';
import {
  balanceEntryView,
  balanceRequest,
  balanceView,
  cartItemRequest,
  cartView,
  checkoutRequest,
  checkoutView,
  ledgerTransactionView,
  metricsQuery,
  metricsTableView,
} from './api/ledger';
import { pageSchema } from './envelope';
import { listQuery, type RouteSpec } from './openapi-types';

const transactionsQuery = listQuery.extend({
  q: z.string().optional().describe('seed 001 search (alias of search)'),
  q_f: z
    .string()
    .optional()
    .describe(
      'comma-separated fields q searches: description, kind, customer_id, invoice_id, source_key',
    ),
  o: z
    .string()
    .optional()
    .describe('seed 001 ordering: created_at, amount_minor, kind, currency, description'),
  start_at: z.string().optional(),
  ends_at: z.string().optional(),
  kind: z.string().optional(),
  currency: z.string().optional(),
  customer_id: z.string().optional(),
  invoice_id: z.string().optional(),
});

const metric = (name: string, summary: string): RouteSpec => ({
  method: 'get',
  path: `/api/metrics/{profile}/${name}`,
  tag: 'metrics',
  summary,
  query: metricsQuery,
  response: metricsTableView,
});

/**
 * Seed 001's ledger, balance, cart, checkout and metrics routes (billing service). Every amount
 * they answer is a decimal string and, as `<field>_minor`, seed 001's integer minor units.
 */
export const LEDGER_ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/billing/transactions',
    tag: 'ledger',
    summary:
      "The caller's ledger: balanced double-entry transactions, newest first (search: description, kind, customer_id, invoice_id, source_key)",
    query: transactionsQuery,
    response: pageSchema(ledgerTransactionView),
  },
  {
    method: 'get',
    path: '/api/billing/{profile}/balance',
    tag: 'ledger',
    summary: "A customer's balance due, from the ledger",
    query: z.object({ currency: z.string().optional() }),
    response: balanceView,
  },
  {
    method: 'post',
    path: '/api/billing/{profile}/balance',
    tag: 'ledger',
    summary:
      'Add a use charge to a customer balance, or subtract an offline payment or write-off (Idempotency-Key header or reference: posts once). With seed 001\'s `unit` the amount is integer minor units (`{"amount": 1000, "unit": "usd"}` is 10.00 USD; a fraction is a 422); with `currency` (or neither) a decimal; both is a 422. At most 999,999,999,999 minor units. Answers carry `<field>_minor` integers beside the decimals',
    body: balanceRequest,
    status: 201,
    response: balanceEntryView,
  },
  {
    method: 'get',
    path: '/api/cart',
    tag: 'checkout',
    summary: "The caller's cart, priced",
    response: cartView,
  },
  {
    method: 'post',
    path: '/api/cart',
    tag: 'checkout',
    summary: 'Add a plan to the cart',
    body: cartItemRequest,
    status: 201,
    response: cartView,
  },
  {
    method: 'delete',
    path: '/api/cart',
    tag: 'checkout',
    summary: 'Empty the cart',
    response: cartView,
  },
  {
    method: 'post',
    path: '/api/billing/{profile}/checkout',
    tag: 'checkout',
    summary:
      'Place an order for the cart (an issued invoice from the platform) and pay it now; 503 if payments is unavailable (the order stays unpaid)',
    body: checkoutRequest,
    status: 201,
    response: checkoutView,
  },
  {
    method: 'post',
    path: '/api/billing/{profile}/checkout/paylater',
    tag: 'checkout',
    summary: 'Place an order for the cart, to be paid later',
    status: 201,
    response: checkoutView,
  },
  metric('revenue', 'Monthly revenue recognised, payments received and write-offs'),
  metric('balances', 'Balances due and unused prepaid credits at each month end'),
  metric('customers', 'Customers active, new and seen so far per month'),
];
