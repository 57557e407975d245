import { bootService, everyInterval, idempotency } from '@ledgerline/platform';
import { createApp } from './app';
import { loadBillingConfig } from './config';
import { finishPendingCreditNotes, httpPaymentsClient } from './flows';
import { creditsDeps } from './modules/credits';
import { documentsDeps } from './modules/documents';
import { invoicingDeps } from './modules/invoicing';
import { customerCopies, ledgerDeps } from './modules/ledger';

/** Billing HTTP API. The worker (worker.ts) is the second entry point of the same codebase. */
const config = loadBillingConfig();
/** Idempotency keys live 24 h; expired ones are deleted this often (FerretDB has no TTL index). */
const IDEMPOTENCY_SWEEP_MS = 10 * 60_000;

bootService('billing', config, async (ctx) => {
  await ctx.topics(['billing']);
  // one set of invoice deps (one invoice outbox relay) for every module of the process
  const copies = customerCopies(ctx);
  const invoicing = await invoicingDeps(ctx, config, copies);
  const keys = idempotency({ connection: ctx.mongo, logger: ctx.logger });
  ctx.stops.push(keys.startSweeper(IDEMPOTENCY_SWEEP_MS));
  const payments = httpPaymentsClient({ baseUrl: config.PAYMENTS_URL, timeoutMs: 5000 });
  ctx.stops.unshift(
    everyInterval(
      // credit notes left pending (the payments service was away) are finished this often
      config.CREDIT_NOTE_SWEEP_MS,
      () => finishPendingCreditNotes({ invoicing, payments, logger: ctx.logger }),
      { logger: ctx.logger, failure: 'credit note sweep failed' },
    ),
  );
  return createApp({
    ...ctx.httpDeps(),
    invoicing,
    documents: documentsDeps(config, invoicing, copies),
    credits: creditsDeps(ctx, invoicing.aggregates),
    ledger: ledgerDeps(ctx, config, invoicing.owner),
    payments,
    idempotent: keys.middleware,
  });
});
