import { bootService } from '@ledgerline/platform';
import { loadBillingConfig } from './config';
import { startCreditsWorker } from './credits/wiring';
import { startInvoicingWorker } from './invoicing-wiring';
import { startLedgerWorker } from './ledger/wiring';

/**
 * Billing worker: Kafka consumer groups (run more copies to share the partitions) and billing
 * runs; relays the events its updates produce. It serves no HTTP.
 */
const config = loadBillingConfig();

bootService('billing-worker', config, async (ctx) => {
  await ctx.topics(['billing']);
  await startInvoicingWorker(ctx, config);
  await startCreditsWorker(ctx, config);
  await startLedgerWorker(ctx, config);
});
