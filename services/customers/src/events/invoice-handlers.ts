import type { EventHandlers } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import { applyInvoiceEvent } from '../use-cases/projection';

/** Billing's invoice events keep each customer's totals (consumer group CONSUMER_GROUP_ID). */
export function invoiceHandlers(deps: CustomersDeps): EventHandlers {
  return {
    InvoiceCreated: async (event) => {
      await applyInvoiceEvent(deps, event);
    },
    InvoiceStatusChanged: async (event) => {
      await applyInvoiceEvent(deps, event);
    },
  };
}
