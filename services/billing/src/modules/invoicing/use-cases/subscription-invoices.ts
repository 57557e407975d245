import { formatMinor, sumMinor, type EventEnvelope } from '@ledgerline/contracts';
import { deterministicId } from '@ledgerline/platform';
import type { CreditNote } from '../store/credit-notes';
import type { Invoice } from '../store/invoices';
import { createInvoice, createInvoices } from './create-invoice';
import { prepareCreditNote } from './credit-notes';
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

/**
 * Holds and numbers a pending credit note at once (the worker's flow: it asks the payments
 * service); without it, the API process's sweep of pending notes does, within half a minute.
 */
export interface CreditNoteFinisher {
  finishCreditNote?: (note: CreditNote, correlationId: string) => Promise<void>;
}
type Deps = InvoicingDeps & CreditNoteFinisher;

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
  deps: Deps,
  event: EventEnvelope<'SubscriptionInvoiceDue'>,
): Promise<Invoice | null> {
  const due = invoiceDue(event);
  if (!due) return null;
  const invoice = await createInvoice(deps, subscriptionsCaller(event), due.req, {
    id: due.id,
    source: due.source,
  });
  await creditFromBalance(deps, event, due.id);
  return invoice;
}

/**
 * The part of the subscriber's credit balance the invoice takes (tenants decided it with the
 * invoice, `credit_minor`) becomes a credit note against it: written pending here, under a key
 * derived from the invoice (a redelivery finds it), then held and numbered at once by the worker's
 * flow, or by the credit-note sweep like any note whose hold is still to be made
 * (flows/credit-notes.ts). A refused hold returns the amount to the subscription's balance.
 */
async function creditFromBalance(
  deps: Deps,
  event: EventEnvelope<'SubscriptionInvoiceDue'>,
  invoiceId: string,
): Promise<void> {
  const credit = event.data.credit_minor ?? 0;
  if (credit <= 0) return;
  const note = await prepareCreditNote(
    deps,
    subscriptionsCaller(event),
    {
      invoice_id: invoiceId,
      amount: formatMinor(credit, event.data.currency),
      reason: `Credit from a plan change of subscription ${event.data.subscription_id}`,
    },
    `subscription-credit:${invoiceId}`,
    // marked: a refused hold gives the amount back to this subscription's balance
    { subscriptionId: event.data.subscription_id },
  );
  await deps.finishCreditNote?.(note, event.correlation_id);
}

/**
 * Many at once (a renewal sweep announces a provider's subscriptions together): per provider, one
 * block insert numbered under one lock, as a billing run's chunk; an invoice already made (a
 * redelivery) is found taken and not made again.
 */
export async function invoiceSubscriptionsDue(
  deps: Deps,
  events: EventEnvelope<'SubscriptionInvoiceDue'>[],
): Promise<void> {
  const byProvider = new Map<string, EventEnvelope<'SubscriptionInvoiceDue'>[]>();
  for (const event of events) {
    const list = byProvider.get(event.tenant_id) ?? [];
    list.push(event);
    byProvider.set(event.tenant_id, list);
  }
  for (const list of byProvider.values()) {
    const owed = list.flatMap((event) => {
      const due = invoiceDue(event);
      return due ? [{ event, due }] : [];
    });
    // a Kafka batch, redelivered until this returns: the block's events leave from here
    await createInvoices(
      deps,
      subscriptionsCaller(list[0]!),
      owed.map((o) => o.due),
      { publishItself: true },
    );
    for (const { event, due } of owed) await creditFromBalance(deps, event, due.id);
  }
}
