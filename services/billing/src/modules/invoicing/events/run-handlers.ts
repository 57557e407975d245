import type { EventHandlers, Logger } from '@ledgerline/platform';
import { processRunChunk } from '../use-cases/billing-runs';
import type { InvoicingDeps } from '../use-cases/invoices';

/** The billing workers' share of billing runs: one chunk command at a time, per partition. */
export function runHandlers(deps: InvoicingDeps & { logger: Logger }): EventHandlers {
  return {
    BillingRunChunkRequested: async (event) => {
      await processRunChunk(deps, event);
    },
  };
}
