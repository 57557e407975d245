import { inBatches, ownMarker, type EventHandlers } from '@ledgerline/platform';
import type { CustomersDeps } from '../use-cases/context';
import { applyCreatedInvoices, applyInvoiceEvent } from '../use-cases/projection';
import { liftEntitlementSuspension, suspendEntitlements } from '../use-cases/dunning-suspensions';

/**
 * Billing's invoice events keep each customer's totals (consumer group CONSUMER_GROUP_ID). A
 * replay is a no-op by construction (the snapshot keeps only a newer event; the stale mark is a
 * set), so no processed-event marker is looked up or written for them.
 */
export function invoiceHandlers(deps: CustomersDeps): EventHandlers {
  return {
    // a batch's new invoices: their copies in one insert, one stale mark per customer
    InvoiceCreated: inBatches(
      async (event) => {
        await applyInvoiceEvent(deps, event);
      },
      (events) => applyCreatedInvoices(deps, events),
    ),
    InvoiceStatusChanged: ownMarker(async (event) => {
      await applyInvoiceEvent(deps, event);
      // paying an overdue invoice lifts the suspension its dunning caused (issue 17)
      await liftEntitlementSuspension(deps, event);
    }),
    // dunning's final action `suspend_entitlements` (issue 17); idempotent by its marks
    InvoiceDunningStep: ownMarker((event) => suspendEntitlements(deps, event)),
  };
}
