import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound } from '@ledgerline/platform';
import { countsTowardTotals, customerTotals, EVENT_RANK } from '../domain/invoice-projection';
import type { InvoiceSnapshot } from '../store/invoice-snapshots';
import type { Customer } from '../store/customers';
import type { CustomersDeps } from './context';

type InvoiceEvent = EventEnvelope<'InvoiceCreated'> | EventEnvelope<'InvoiceStatusChanged'>;

/**
 * Keeps the customer totals current from billing's invoice events. The invoice's snapshot is
 * replaced only by a newer event (a replayed or older one changes nothing); then each customer
 * whose totals the change moves is marked stale on its document, and the background sweeper
 * (totals-sweeper.ts) recomputes the totals from all the customer's snapshots. Recomputing on every
 * event grew with the square of a customer's invoices (a billing run makes thousands for a few
 * customers); the sweeper does it a bounded number of times per second. Both steps are
 * idempotent, and the mark is stored before the event counts as handled: a crash between the
 * snapshot and the mark is repaired by the redelivery (a repeated event marks too), one after it
 * by the next start, which sweeps the customers still marked.
 */
export async function applyInvoiceEvent(
  deps: CustomersDeps,
  event: InvoiceEvent,
): Promise<'applied' | 'stale'> {
  const tenantId = event.tenant_id;
  const incoming = snapshotOf(event);
  // an invoice's Created event ranks below all its others: a new invoice's copy is inserted
  const { applied, previous } = await deps.snapshots.copies.keep(incoming, {
    first: event.type === 'InvoiceCreated',
  });
  // a change that counts for no customer (a draft made or edited) moves no totals
  const customers = applied
    ? [incoming, previous]
        .filter((s) => s && countsTowardTotals(s.status))
        .map((s) => s!.customer_id)
    : [previous?.customer_id ?? null];
  await markCustomers(deps, tenantId, customers);
  return applied ? 'applied' : 'stale';
}

/**
 * A consumer batch's new invoices: their copies in one insert (a Created event ranks below every
 * other of its invoice), one stale mark per customer. An invoice whose copy was already there (a
 * later event came first) is decided on its own.
 */
export async function applyCreatedInvoices(
  deps: CustomersDeps,
  events: EventEnvelope<'InvoiceCreated'>[],
): Promise<void> {
  const snapshots = events.map(snapshotOf);
  const refused = new Set((await deps.snapshots.copies.keepFirsts(snapshots)).map((s) => s._id));
  const stored = snapshots.filter((s) => !refused.has(s._id) && countsTowardTotals(s.status));
  const byTenant = new Map<string, (string | null)[]>();
  for (const s of stored)
    byTenant.set(s.tenant_id, [...(byTenant.get(s.tenant_id) ?? []), s.customer_id]);
  await Promise.all(
    [...byTenant].map(([tenantId, customers]) => markCustomers(deps, tenantId, customers)),
  );
  for (const event of events.filter((e) => refused.has(e.data.invoice_id)))
    await applyInvoiceEvent(deps, event);
}

function snapshotOf(event: InvoiceEvent): InvoiceSnapshot {
  const d = event.data;
  return {
    _id: d.invoice_id,
    tenant_id: event.tenant_id,
    invoice_id: d.invoice_id,
    customer_id: d.customer_id,
    status: d.status,
    currency: d.currency,
    total_minor: d.total_minor,
    paid_minor: d.paid_minor,
    balance_due_minor: d.balance_due_minor,
    issue_date: d.issue_date,
    occurred_at: event.occurred_at,
    occurred_ms: Date.parse(event.occurred_at),
    event_rank: EVENT_RANK[event.type],
    event_id: event.id,
    updated_at: new Date(),
  };
}

/** Marks each named customer's totals stale once (an invoice of no customer moves none). */
async function markCustomers(
  deps: CustomersDeps,
  tenantId: string,
  customers: (string | null)[],
): Promise<void> {
  const named = [...new Set(customers)].filter((id): id is string => id !== null);
  // the events handled at once for one customer share one mark written after all their
  // snapshots: one write under the customer's lock instead of one each, queued on that lock
  await Promise.all(
    named.map((customerId) =>
      startingAfterNow(`${tenantId}\u0000${customerId}`, () =>
        markTotalsStale(deps, tenantId, customerId),
      ),
    ),
  );
}

/** Per key: the call waiting to start (shared by the callers since) and the last one queued. */
const queued = new Map<string, { waiting: Promise<void> | null; last: Promise<void> }>();

/**
 * Runs `fn` so that it starts after this call: joins the call of `key` that has not started yet,
 * or queues one behind the one running (which may have started too early). Every caller waits
 * for a call that started after its own and gets its error, so no event counts as handled before
 * a mark written after its snapshot.
 */
export function startingAfterNow(key: string, fn: () => Promise<void>): Promise<void> {
  const slot = queued.get(key) ?? { waiting: null, last: Promise.resolve() };
  queued.set(key, slot);
  if (slot.waiting) return slot.waiting;
  const run: Promise<void> = slot.last
    .catch(() => undefined)
    .then(() => {
      slot.waiting = null; // from here on, a new caller needs the next call
      return fn();
    })
    .finally(() => {
      if (slot.last === run && !slot.waiting) queued.delete(key);
    });
  slot.waiting = run;
  slot.last = run;
  return run;
}

/** Stores that the customer's totals need a refresh, then tells the sweeper. */
async function markTotalsStale(
  deps: CustomersDeps,
  tenantId: string,
  customerId: string,
): Promise<void> {
  // an invoice of a customer unknown here (or deleted) has nothing to show
  const marked = await deps.aggregates
    .change<Customer>(deps.customers.aggregate, { id: customerId, tenantId }, (customer) => ({
      set: { totals_marks: (customer.totals_marks ?? 0) + 1, totals_stale: true },
      touch: false,
    }))
    .catch(ignoreNotFound);
  if (!marked) return;
  if (deps.totals) deps.totals.stale(tenantId, customerId);
  else await refreshCustomerTotals(deps, tenantId, customerId); // no sweeper (tests): at once
}

/**
 * Recomputes a customer's totals and last bill date from its invoice snapshots, and clears the
 * stale mark unless the customer was marked again meanwhile (the mark counter read before the
 * snapshots moved: an invoice written after that read may be missing from this sum). Answers
 * whether the totals are still stale.
 */
export async function refreshCustomerTotals(
  deps: CustomersDeps,
  tenantId: string,
  customerId: string,
): Promise<boolean> {
  const key = { id: customerId, tenantId };
  const before = await deps.aggregates
    .load<Customer>(deps.customers.aggregate, key)
    .catch(ignoreNotFound);
  if (!before) return false;
  const marks = before.totals_marks ?? 0;
  const next = customerTotals(await deps.snapshots.ofCustomer(tenantId, customerId));
  let stale = false;
  await deps.aggregates
    .change<Customer>(deps.customers.aggregate, key, (customer) => {
      stale = (customer.totals_marks ?? 0) !== marks;
      const same =
        JSON.stringify(next.totals) === JSON.stringify(customer.totals) &&
        next.last_bill_invoice_date === customer.last_bill_invoice_date &&
        (customer.totals_stale ?? false) === stale;
      return same ? undefined : { set: { ...next, totals_stale: stale }, touch: false };
    })
    .catch(ignoreNotFound);
  return stale;
}
