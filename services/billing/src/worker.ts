import { bootService } from '@ledgerline/platform';
import { loadBillingConfig } from './config';
import { finishCreditNote, httpPaymentsClient, periodHandlers } from './flows';
import { creditsDeps, startCreditsWorker } from './modules/credits';
import { invoicingDeps, startInvoicingWorker } from './modules/invoicing';
import { customerCopies, startLedgerWorker } from './modules/ledger';

/**
 * Billing worker: Kafka consumer groups (run more copies to share the partitions) and billing
 * runs; relays the events its updates produce. It serves no HTTP.
 */
const config = loadBillingConfig();

bootService('billing-worker', config, async (ctx) => {
  await ctx.topics(['billing']);
  // one set of invoice deps (one invoice outbox relay) for every module of the process
  const invoicing = await invoicingDeps(ctx, config, customerCopies(ctx));
  // a subscriber's credit balance becomes credit notes, held by the payments service at once
  const payments = httpPaymentsClient({ baseUrl: config.PAYMENTS_URL, timeoutMs: 5000 });
  await startInvoicingWorker(ctx, config, invoicing, {
    finishCreditNote: (note, correlationId) =>
      finishCreditNote({ invoicing, payments, logger: ctx.logger }, note, correlationId),
  });
  const credits = creditsDeps(ctx, invoicing.aggregates);
  await startCreditsWorker(
    ctx,
    config,
    credits,
    periodHandlers({ invoicing, credits, dueDays: config.PLATFORM_INVOICE_DUE_DAYS }, ctx.logger),
  );
  await startLedgerWorker(ctx, config);
});
