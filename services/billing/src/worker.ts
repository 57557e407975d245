import { bootService } from '@ledgerline/platform';
import { loadBillingConfig } from './config';
import { startCreditsWorker } from './credits/wiring';
import { invoicingDeps, startInvoicingWorker } from './invoicing-wiring';
import { startLedgerWorker } from './ledger/wiring';

/**
 * Billing worker: Kafka consumer groups (run more copies to share the partitions) and billing
 * runs; relays the events its updates produce. It serves no HTTP.
 */
const config = loadBillingConfig();

bootService('billing-worker', config, async (ctx) => {
  await ctx.topics(['billing']);
  // one set of invoice deps (one invoice outbox relay) for every module of the process
  const invoicing = await invoicingDeps(ctx, config);
  await startInvoicingWorker(ctx, config, invoicing);
  await startCreditsWorker(ctx, config, invoicing);
  await startLedgerWorker(ctx, config);
});
