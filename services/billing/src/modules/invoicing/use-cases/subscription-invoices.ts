import { formatMinor, sumMinor, type EventEnvelope } from '@ledgerline/contracts';
import { deterministicId } from '@ledgerline/platform';
import type { Invoice } from '../store/invoices';
import { createInvoice, createInvoices } from './create-invoice';
import type { InvoicingDeps } from './invoices';

/**
 * One invoice per provider, subscription and invoice key, however often the event is delivered
 * (invoice ids are unique across tenants, so the provider is part of it).
 */
export function subscriptionInvoiceId(
  providerId: string,
  subscriptionId: string,
  invoiceKey: string,
): string {
  return deterministicId('inv', ['subscription', providerId, subscriptionId, invoiceKey]);
}

type Due = EventEnvelope<'SubscriptionInvoiceDue'>['data'];

/** A line's remark: what it charges, how much of it, and for which days. */
function lineRemark(line: Due['lines'][number]): string {
  const days = `${line.period_start.slice(0, 10)} to ${line.period_end.slice(0, 10)}`;
  const each = line.unit_amount === undefined ? '' : ` at ${line.unit_amount}`;
  return `${line.description}: ${line.quantity}${each}, ${days}`;
}

/** The invoice request an event owes, or null for an amount of 0. */
function invoiceDue(event: EventEnvelope<'SubscriptionInvoiceDue'>) {
  const due = event.data;
  if (sumMinor(due.lines.map((l) => l.amount_minor)) === 0) return null;
  const starts = due.lines.map((l) => l.period_start).sort();
  const ends = due.lines.map((l) => l.period_end).sort();
  return {
    id: subscriptionInvoiceId(event.tenant_id, due.subscription_id, due.invoice_key),
    req: {
      status: 'unpaid' as const,
      customer_id: due.subscriber.id,
      currency: due.currency,
      issue_date: due.due_at.slice(0, 10),
      // due on receipt: unpaid the next day, dunning makes the subscription past_due
      due_date: due.due_at.slice(0, 10),
      remarks: `${due.plan_code} subscription (${due.reason})`,
      details: due.lines.map((line) => ({
        sub_total: formatMinor(line.amount_minor, due.currency),
        remarks: lineRemark(line),
      })),
    },
    source: {
      period_start: starts[0]!.slice(0, 10),
      period_end: ends.at(-1)!.slice(0, 10),
      subscription_id: due.subscription_id,
    },
  };
}

const subscriptionsCaller = (event: EventEnvelope) => ({
  tenantId: event.tenant_id,
  userId: 'system:subscriptions',
  correlationId: event.correlation_id,
});

/**
 * A subscription owes an invoice (tenants priced it: fees in advance, usage in arrears, a
 * proration): the provider issues it to the subscriber, numbered like every other invoice of the
 * provider. An amount of 0 (a free plan, a trial's usage) is not invoiced, as for the platform's
 * free periods. The subscriber was checked by its owner when the subscription was granted, so the
 * event is not checked against the customers service again.
 */
export async function invoiceSubscriptionDue(
  deps: InvoicingDeps,
  event: EventEnvelope<'SubscriptionInvoiceDue'>,
): Promise<Invoice | null> {
  const due = invoiceDue(event);
  if (!due) return null;
  return createInvoice(deps, subscriptionsCaller(event), due.req, {
    id: due.id,
    source: due.source,
  });
}

/**
 * Many at once (a renewal sweep announces a provider's subscriptions together): per provider, one
 * block insert numbered under one lock, as a billing run's chunk; an invoice already made (a
 * redelivery) is found taken and not made again.
 */
export async function invoiceSubscriptionsDue(
  deps: InvoicingDeps,
  events: EventEnvelope<'SubscriptionInvoiceDue'>[],
): Promise<void> {
  const byProvider = new Map<string, EventEnvelope<'SubscriptionInvoiceDue'>[]>();
  for (const event of events) {
    const list = byProvider.get(event.tenant_id) ?? [];
    list.push(event);
    byProvider.set(event.tenant_id, list);
  }
  for (const list of byProvider.values()) {
    const requests = list.flatMap((event) => invoiceDue(event) ?? []);
    await createInvoices(deps, subscriptionsCaller(list[0]!), requests);
  }
}
