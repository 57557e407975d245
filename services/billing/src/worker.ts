import { bootService, deleteTenantDocuments, planLimits } from '@ledgerline/platform';
import { loadBillingConfig } from './config';
import { paymentHandlers } from './events/payment-handlers';
import { invoiceStore } from './store/invoices';
import { invoiceLockKey } from './use-cases/invoices';

/**
 * Billing worker: consumes payment events in a Kafka consumer group (run more copies to share the
 * partitions) and relays the invoice events its updates produce. It serves no HTTP.
 */
const config = loadBillingConfig();

bootService('billing-worker', config, async (ctx) => {
  const invoices = invoiceStore(ctx.mongo);
  await ctx.topics(['billing']);
  const publishSoon = ctx.outbox([{ model: invoices.model, lockKey: invoiceLockKey }]);
  await ctx.consume(config.WORKER_GROUP_ID, ['payments', 'tenants'], {
    ...paymentHandlers({ invoices, locks: ctx.locks, publishSoon, logger: ctx.logger }),
    // the plans' limits, read by the API when an invoice is created
    ...planLimits(ctx.mongo, ctx.locks).handlers,
    // seed 003: a deleted tenant's invoices and counters go too
    TenantDeleted: async (event) => {
      await deleteTenantDocuments(ctx.mongo, event.data.tenant_id);
    },
  });
});
