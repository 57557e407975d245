import type { EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound, type AggregateWriter } from '@ledgerline/platform';
import type { Subscription, SubscriptionStore } from '../store/subscriptions';

/**
 * A provider's subscription in dunning (issues 17 and 18): billing's dunning sweep says an
 * invoice of the subscription is overdue (InvoiceOverdue names the subscription), and the
 * subscription is `past_due` until every such invoice is paid or voided (InvoiceStatusChanged).
 * It stays live meanwhile: usage counts and periods renew, as with Stripe's past_due. The set of
 * overdue invoice ids is the idempotency: an event applied twice changes nothing.
 */
interface Deps {
  subscriptions: Pick<SubscriptionStore, 'aggregate'>;
  aggregates: AggregateWriter;
}

const change = (
  deps: Deps,
  event: EventEnvelope,
  subscriptionId: string,
  decide: (s: Subscription) => Partial<Subscription> | undefined,
) =>
  deps.aggregates
    .change<Subscription>(
      deps.subscriptions.aggregate,
      { id: subscriptionId, tenantId: event.tenant_id },
      (s) => {
        const set = decide(s);
        return set && { set: { ...set, updated_by: 'system:dunning' } };
      },
    )
    .catch(ignoreNotFound);

export async function markPastDue(deps: Deps, event: EventEnvelope<'InvoiceOverdue'>) {
  const { subscription_id: id, invoice_id: invoice } = event.data;
  if (!id) return;
  await change(deps, event, id, (s) => {
    const overdue = s.past_due_invoices ?? [];
    if (overdue.includes(invoice)) return undefined;
    const live = s.status === 'trial' || s.status === 'active' || s.status === 'past_due';
    return {
      past_due_invoices: [...overdue, invoice],
      ...(live && { status: 'past_due' as const }),
    };
  });
}

export async function clearPastDue(deps: Deps, event: EventEnvelope<'InvoiceStatusChanged'>) {
  const { subscription_id: id, invoice_id: invoice, status } = event.data;
  if (!id || (status !== 'paid' && status !== 'void')) return;
  await change(deps, event, id, (s) => {
    const overdue = s.past_due_invoices ?? [];
    if (!overdue.includes(invoice)) return undefined;
    const left = overdue.filter((i) => i !== invoice);
    return {
      past_due_invoices: left,
      ...(left.length === 0 && s.status === 'past_due' && { status: 'active' as const }),
    };
  });
}
