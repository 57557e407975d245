import { inBatches, type EventHandlers, type Logger } from '@ledgerline/platform';
import {
  invoiceSubscriptionDue,
  invoiceSubscriptionsDue,
  type CreditNoteFinisher,
} from '../use-cases/subscription-invoices';
import type { InvoicingDeps } from '../use-cases/invoices';

export function subscriptionHandlers(
  deps: InvoicingDeps & CreditNoteFinisher & { logger: Logger },
): EventHandlers {
  return {
    // the invoice's id comes from the subscription and the invoice key: it is this event's
    // marker, and a batch's invoices go in one block per provider
    SubscriptionInvoiceDue: inBatches(
      async (event) => {
        const invoice = await invoiceSubscriptionDue(deps, event);
        if (invoice) {
          deps.logger.info(
            { tenant_id: event.tenant_id, invoice_id: invoice._id },
            'subscription invoice issued',
          );
        }
      },
      (events) => invoiceSubscriptionsDue(deps, events),
    ),
  };
}
