import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound } from '@ledgerline/platform';
import { countsTowardTotals, customerTotals, EVENT_RANK } from '../domain/invoice-projection';
import type { InvoiceSnapshot } from '../store/invoice-snapshots';
import type { Customer } from '../store/customers';
import type { CustomersDeps } from './context';

type InvoiceEvent = EventEnvelope<'InvoiceCreated'> | EventEnvelope<'InvoiceStatusChanged'>;

/**
 * Keeps the customer totals current from billing's invoice events. The invoice's snapshot is
 * replaced only by a newer event (a replayed or older one changes nothing), then the totals of the
 * customer(s) concerned are recomputed from all their snapshots, which is idempotent as well: a
 * crash between the two steps is repaired by the redelivery (a stale event refreshes too).
 *
 * Two things keep this from growing with the square of a customer's invoices (a billing run makes
 * thousands for a few customers): a snapshot change that counts for no customer (a draft created,
 * edited or deleted) recomputes nothing, and the events handled at once for one customer share
 * one recomputation that starts after all their snapshots are written (see refreshAfterNow).
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
  const customers = applied
    ? [incoming, previous]
        .filter((s) => s && countsTowardTotals(s.status))
        .map((s) => s!.customer_id)
    : // a repeated event may follow a crash before the refresh: refresh whatever stands
      [previous?.customer_id ?? null];
  await Promise.all(
    [...new Set(customers)].map((customerId) =>
      customerId
        ? refreshAfterNow(`${tenantId}\u0000${customerId}`, () =>
            refreshCustomerTotals(deps, tenantId, customerId),
          )
        : undefined,
    ),
  );
  return applied ? 'applied' : 'stale';
}

/** Per customer: the recomputation waiting to start (shared) and the last one queued. */
const queued = new Map<string, { waiting: Promise<void> | null; last: Promise<void> }>();

/**
 * Runs `refresh` once it can see every write made before this call: joins the refresh of `key`
 * that has not started yet, or queues one behind the one running (which may have read too
 * early). Every caller waits for a refresh that started after its call and gets its error, so
 * no event is marked handled before its totals are.
 */
export function refreshAfterNow(key: string, refresh: () => Promise<void>): Promise<void> {
  const slot = queued.get(key) ?? { waiting: null, last: Promise.resolve() };
  queued.set(key, slot);
  if (slot.waiting) return slot.waiting;
  const run: Promise<void> = slot.last
    .catch(() => undefined)
    .then(() => {
      slot.waiting = null; // from here on, a new caller needs the next refresh
      return refresh();
    })
    .finally(() => {
      if (slot.last === run && !slot.waiting) queued.delete(key);
    });
  slot.waiting = run;
  slot.last = run;
  return run;
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
