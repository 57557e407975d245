import { ownMarker, type EventHandlers } from '@ledgerline/platform';
import type { PaymentsDeps } from '../use-cases/deps';
import { recordBillingConfirmation, recordOverpayment } from '../use-cases/reconciliation';

/**
 * Billing's invoice changes (confirmations for reconciliation) and the customers' names (for
 * by_customer). Both are safe to re-run: markers and revisions live in the documents written.
 */
export function paymentsEventHandlers(
  deps: Pick<
    PaymentsDeps,
    'payments' | 'overpaid' | 'locks' | 'aggregates' | 'invoicePayments' | 'customerNames'
  >,
): EventHandlers {
  const keepName = async (
    tenantId: string,
    snapshot: { customer_id: string; customer_name: string; revision: number },
    deleted: boolean,
  ) =>
    deps.locks.withLock(`customer-name:${tenantId}:${snapshot.customer_id}`, () =>
      deps.customerNames.upsertIfNewer(tenantId, snapshot, deleted),
    );
  return {
    // replays change nothing: the payment's billing_seen is the confirmation's marker, and an
    // overpayment report older than the one held is dropped
    InvoiceStatusChanged: ownMarker(async (event) => {
      await recordBillingConfirmation(deps, event);
      await recordOverpayment(deps, event);
    }),
    CustomerCreated: async (event) => keepName(event.tenant_id, event.data, false),
    CustomerUpdated: async (event) => keepName(event.tenant_id, event.data, false),
    CustomerDeleted: async (event) => keepName(event.tenant_id, event.data, true),
  };
}
