import { bootService, httpCustomersClient, idempotency } from '@ledgerline/platform';
import { createApp } from './app';
import { httpBillingClient } from './clients/billing';
import { loadPaymentsConfig } from './config';
import { paymentsEventHandlers } from './events/handlers';
import { customerNameStore } from './store/customer-names';
import { invoicePaymentsStore } from './store/invoice-payments';
import { overpaidInvoiceStore } from './store/overpaid-invoices';
import { paymentMethodStore } from './store/payment-methods';
import { paymentStore } from './store/payments';
import type { PaymentsDeps } from './use-cases/deps';
import { completeInvoiceLists } from './use-cases/invoice-lists';
import { startReconciliationCheck } from './use-cases/reconciliation';

const config = loadPaymentsConfig();

bootService('payments', config, async (ctx) => {
  const payments = paymentStore(ctx.mongo);
  const invoicePayments = invoicePaymentsStore(ctx.mongo);
  await ctx.topics(['payments']);
  // the relay publishes the payments' outboxes under the same lock keys as their writers
  const { writer, publishSoon } = await ctx.aggregates([
    payments.aggregate,
    invoicePayments.aggregate,
  ]);
  const deps: PaymentsDeps = {
    payments,
    invoicePayments,
    methods: paymentMethodStore(ctx.mongo, ctx.redis),
    customerNames: customerNameStore(ctx.mongo),
    overpaid: overpaidInvoiceStore(ctx.mongo),
    billing: httpBillingClient({
      baseUrl: config.BILLING_URL,
      timeoutMs: config.BILLING_TIMEOUT_MS,
    }),
    customers: httpCustomersClient({
      baseUrl: config.CUSTOMERS_URL,
      timeoutMs: config.CUSTOMERS_TIMEOUT_MS,
    }),
    locks: ctx.locks,
    aggregates: writer,
    logger: ctx.logger,
    publishSoon,
  };
  // before the first decision: an invoice without a list then has no payments (invoice-lists.ts)
  await completeInvoiceLists(deps, ctx.logger);
  // seed 003: a deleted tenant's payments go too
  await ctx.consume(config.CONSUMER_GROUP_ID, ['tenants'], ctx.tenantDeletedHandlers(), {
    batched: true,
  });
  // billing's confirmations (reconciliation) and customer names, in a group of their own
  await ctx.consume(
    `${config.CONSUMER_GROUP_ID}.projections`,
    ['billing', 'customers'],
    paymentsEventHandlers(deps),
    { batched: true },
  );
  const keys = idempotency({
    connection: ctx.mongo,
    logger: ctx.logger,
    ttlMs: config.IDEMPOTENCY_TTL_MS,
    inFlightTimeoutMs: config.IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS,
  });
  ctx.stops.push(keys.startSweeper(config.IDEMPOTENCY_SWEEP_MS));
  ctx.stops.push(
    startReconciliationCheck(deps, {
      intervalMs: config.RECONCILIATION_INTERVAL_MS,
      graceMs: config.RECONCILIATION_GRACE_MS,
    }),
  );
  return createApp({ ...deps, ...ctx.httpDeps(), idempotent: keys.middleware });
});
