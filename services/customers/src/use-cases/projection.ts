import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound } from '@ledgerline/platform';
import { customerTotals, EVENT_RANK } from '../domain/invoice-projection';
import type { InvoiceSnapshot } from '../store/invoice-snapshots';
import type { Customer } from '../store/customers';
import type { CustomersDeps } from './context';

type InvoiceEvent = EventEnvelope<'InvoiceCreated'> | EventEnvelope<'InvoiceStatusChanged'>;

/**
 * Keeps the customer totals current from billing's invoice events. The invoice's snapshot is
 * replaced only by a newer event (a replayed or older one changes nothing), then the totals of the
 * customer(s) concerned are recomputed from all their snapshots, which is idempotent as well: a
 * crash between the two steps is repaired by the redelivery.
 */
export async function applyInvoiceEvent(
  deps: CustomersDeps,
  event: InvoiceEvent,
): Promise<'applied' | 'stale'> {
  const d = event.data;
  const tenantId = event.tenant_id;
  const incoming: InvoiceSnapshot = {
    _id: d.invoice_id,
    tenant_id: tenantId,
    invoice_id: d.invoice_id,
    customer_id: d.customer_id,
    status: d.status,
    currency: d.currency,
    total_minor: d.total_minor,
    paid_minor: d.paid_minor,
    balance_due_minor: d.balance_due_minor,
    issue_date: d.issue_date,
    occurred_at: event.occurred_at,
    event_rank: EVENT_RANK[event.type],
    event_id: event.id,
    updated_at: new Date(),
  };
  const { applied, previous } = await deps.snapshots.copies.keep(incoming);
  const outcome = {
    applied,
    customers: applied
      ? [d.customer_id, previous?.customer_id ?? null]
      : [previous?.customer_id ?? null],
  };
  for (const customerId of new Set(outcome.customers)) {
    if (customerId) await refreshCustomerTotals(deps, tenantId, customerId);
  }
  return outcome.applied ? 'applied' : 'stale';
}

/** Recomputes a customer's totals and last bill date from its invoice snapshots. */
export async function refreshCustomerTotals(
  deps: CustomersDeps,
  tenantId: string,
  customerId: string,
): Promise<void> {
  // an invoice of a customer unknown here (or deleted) has nothing to show
  await deps.aggregates
    .change<Customer>(deps.customers.aggregate, { id: customerId, tenantId }, async (customer) => {
      const next = customerTotals(await deps.snapshots.ofCustomer(tenantId, customerId));
      const same =
        JSON.stringify(next.totals) === JSON.stringify(customer.totals) &&
        next.last_bill_invoice_date === customer.last_bill_invoice_date;
      return same ? undefined : { set: next, touch: false };
    })
    .catch(ignoreNotFound);
}
