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
} from '../api/ledger';
import { pageSchema } from '../envelope';
import { filterParam as f, listParams } from '../list-query';
import { defineRoute } from '../route';

const metric = <const N extends string>(name: N, summary: string) =>
  defineRoute({
    method: 'get',
    operationId: `metrics.${name}`,
    path: `/api/metrics/{profile}/${name}`,
    tag: 'metrics',
    permission: 'bills:read',
    summary,
    query: metricsQuery,
    response: metricsTableView,
  });

/**
 * Seed 001's ledger, balance, cart, checkout and metrics routes (billing service). Every amount
 * they answer is a decimal string and, as `<field>_minor`, seed 001's integer minor units.
 */
export const LEDGER_ROUTES = {
  transactions: defineRoute({
    method: 'get',
    operationId: 'ledger.listTransactions',
    path: '/api/billing/transactions',
    tag: 'ledger',
    permission: 'bills:read',
    summary:
      "The caller's ledger: balanced double-entry transactions, newest first (search: description, kind, customer_id, invoice_id, source_key; q_f restricts q to some of them; ordering/o: created_at, amount_minor, kind, currency, description)",
    query: listParams({
      kind: f.text('transaction kind'),
      currency: f.text('ISO 4217 code'),
      customer_id: f.text('customer'),
      invoice_id: f.text('invoice'),
    }),
    response: pageSchema(ledgerTransactionView),
  }),
  balance: defineRoute({
    method: 'get',
    operationId: 'ledger.getBalance',
    path: '/api/billing/{profile}/balance',
    tag: 'ledger',
    permission: 'bills:read',
    summary: "A customer's balance due, from the ledger",
    query: z.object({ currency: z.string().optional() }),
    response: balanceView,
  }),
  recordBalance: defineRoute({
    method: 'post',
    operationId: 'ledger.recordBalance',
    path: '/api/billing/{profile}/balance',
    idempotent: true,
    tag: 'ledger',
    permission: 'bills:update',
    summary:
      'Add a use charge to a customer balance, or subtract an offline payment or write-off (Idempotency-Key header or reference: posts once). With seed 001\'s `unit` the amount is integer minor units (`{"amount": 1000, "unit": "usd"}` is 10.00 USD; a fraction is a 422); with `currency` (or neither) a decimal; both is a 422. At most 999,999,999,999 minor units. Answers carry `<field>_minor` integers beside the decimals',
    body: balanceRequest,
    status: 201,
    response: balanceEntryView,
  }),
  cart: defineRoute({
    method: 'get',
    operationId: 'cart.get',
    path: '/api/cart',
    tag: 'checkout',
    permission: 'bills:read',
    summary: "The caller's cart, priced",
    response: cartView,
  }),
  addToCart: defineRoute({
    method: 'post',
    operationId: 'cart.addItem',
    path: '/api/cart',
    tag: 'checkout',
    permission: 'bills:create',
    summary: 'Add a plan to the cart',
    body: cartItemRequest,
    status: 201,
    response: cartView,
  }),
  clearCart: defineRoute({
    method: 'delete',
    operationId: 'cart.clear',
    path: '/api/cart',
    tag: 'checkout',
    permission: 'bills:create',
    summary: 'Empty the cart',
    response: cartView,
  }),
  checkout: defineRoute({
    method: 'post',
    operationId: 'checkout.payNow',
    path: '/api/billing/{profile}/checkout',
    idempotent: true,
    tag: 'checkout',
    permission: 'bills:create',
    summary:
      'Place an order for the cart (an issued invoice from the platform) and pay it now; 503 if payments is unavailable (the order stays unpaid). The body is optional',
    body: checkoutRequest,
    bodyOptional: true,
    status: 201,
    response: checkoutView,
  }),
  checkoutPayLater: defineRoute({
    method: 'post',
    operationId: 'checkout.payLater',
    path: '/api/billing/{profile}/checkout/paylater',
    idempotent: true,
    tag: 'checkout',
    permission: 'bills:create',
    summary: 'Place an order for the cart, to be paid later',
    status: 201,
    response: checkoutView,
  }),
  revenue: metric('revenue', 'Monthly revenue recognised, payments received and write-offs'),
  balances: metric('balances', 'Balances due and unused prepaid credits at each month end'),
  customers: metric('customers', 'Customers active, new and seen so far per month'),
};
