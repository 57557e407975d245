import { createHash } from 'node:crypto';
import type { EventData, EventEnvelope, EventType, WebhookEventType } from '@ledgerline/contracts';

/**
 * Which public events (the webhook catalogue, WEBHOOK_EVENT_TYPES) one internal event becomes, for
 * which tenant, and whose representation is their `data`. Pure: the owners are asked afterwards
 * (index.ts), so this table is tested with exact expectations and no servers.
 */

/** The object whose public representation is a public event's `data`, and its owner. */
export type Subject =
  | { kind: 'invoice'; id: string }
  | { kind: 'payment'; id: string }
  /** `deleted`: customer.deleted asks for the last state of the deleted (hidden) customer. */
  | { kind: 'customer'; id: string; deleted: boolean }
  /** A provider's subscription (issue 18), read as its provider sees it. */
  | { kind: 'subscription'; id: string }
  | { kind: 'credit_transaction'; id: string }
  /** A credit note against an invoice (issue 17). */
  | { kind: 'credit_note'; id: string };

/** A public event before its data is read: everything but the owner's representation. */
export interface PlannedEvent {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  /** The tenant whose endpoints receive it: the envelope's (issuer, payee, provider, holder). */
  tenant_id: string;
  subject: Subject;
  /** Fields added to the representation (credits.low_balance: the threshold crossed). */
  extra?: Record<string, unknown>;
}

export interface MappingOptions {
  /** credits.low_balance is sent when a deduction takes the balance from >= this to below it. */
  lowBalanceThreshold: number;
}

/** The internal events that become public ones: what the webhooks consumer subscribes to. */
export const INTERNAL_TYPES = [
  'InvoiceCreated',
  'InvoiceStatusChanged',
  'PaymentRecorded',
  'PaymentRefunded',
  'PaymentVoided',
  'CreditTransactionRecorded',
  'SubscriptionStarted',
  'SubscriptionCanceled',
  'SubscriptionInvoiceDue',
  'CustomerCreated',
  'CustomerUpdated',
  'CustomerDeleted',
  'CreditNoteIssued',
  'InvoiceOverdue',
] as const satisfies readonly EventType[];
export type MappedType = (typeof INTERNAL_TYPES)[number];

/**
 * The public event's id: the same for the same internal event and public type, every time, so a
 * redelivered internal event makes the same public event and receivers dedupe on it. 26 base64url
 * characters of SHA-256 (156 bits) after `evt_`.
 */
export function publicEventId(internalEventId: string, type: WebhookEventType): string {
  const digest = createHash('sha256').update(`${internalEventId}:${type}`).digest('base64url');
  return `evt_${digest.slice(0, 26)}`;
}

type Planned = [WebhookEventType, Subject, Record<string, unknown>?];
type Rule<T extends MappedType> = (data: EventData<T>, opts: MappingOptions) => Planned[];

/**
 * An invoice status change by what moved it. A refund or a voided payment that takes a paid
 * invoice back to partial or unpaid is no invoice event: payment.refunded / payment.voided say it,
 * and "invoice.paid" again after it would be false. A payment on an invoice already paid (an
 * overpayment race) is no second invoice.paid.
 */
export function invoiceStatusEvents(data: EventData<'InvoiceStatusChanged'>): WebhookEventType[] {
  const { status, previous_status: previous, payment_change: change } = data;
  // a credit note that leaves nothing owed settles the invoice as a payment would (credit_note.issued
  // says the rest)
  if (data.credit_note) return status === 'paid' && previous !== 'paid' ? ['invoice.paid'] : [];
  if (change === 'refund' || change === 'payment_voided') return [];
  if (change === 'payment') {
    if (status === 'paid' && previous !== 'paid') return ['invoice.paid'];
    if (status === 'partial') return ['invoice.partially_paid'];
    return [];
  }
  if (status === 'void' && previous !== 'void') return ['invoice.voided'];
  if (previous === 'draft' && status !== 'draft') return ['invoice.issued'];
  return [];
}

/** True when this change took the balance from at or above the threshold to below it. */
export function crossesLowBalance(
  data: Pick<EventData<'CreditTransactionRecorded'>, 'amount' | 'balance_after'>,
  threshold: number,
): boolean {
  const before = data.balance_after - data.amount;
  return data.amount < 0 && before >= threshold && data.balance_after < threshold;
}

const invoice = (d: { invoice_id: string }): Subject => ({ kind: 'invoice', id: d.invoice_id });
const payment = (d: { payment_id: string }): Subject => ({ kind: 'payment', id: d.payment_id });
const subscription = (d: { subscription_id: string }): Subject => ({
  kind: 'subscription',
  id: d.subscription_id,
});
const customer =
  (deleted: boolean) =>
  (d: { customer_id: string }): Subject => ({ kind: 'customer', id: d.customer_id, deleted });

const RULES: { [T in MappedType]: Rule<T> } = {
  // an invoice created already issued (billing runs, checkouts, `status` other than draft on
  // create) was issued at that moment too: no InvoiceStatusChanged follows it
  InvoiceCreated: (d) =>
    d.status === 'draft'
      ? [['invoice.created', invoice(d)]]
      : [
          ['invoice.created', invoice(d)],
          ['invoice.issued', invoice(d)],
        ],
  InvoiceStatusChanged: (d) => invoiceStatusEvents(d).map((type) => [type, invoice(d)]),
  PaymentRecorded: (d) => [['payment.recorded', payment(d)]],
  PaymentRefunded: (d) => [['payment.refunded', payment(d)]],
  PaymentVoided: (d) => [['payment.voided', payment(d)]],
  CreditTransactionRecorded: (d, opts) => {
    const tx: Subject = { kind: 'credit_transaction', id: d.transaction_id };
    const events: Planned[] = [];
    if (d.transaction_type === 'purchase') events.push(['credits.purchased', tx]);
    if (crossesLowBalance(d, opts.lowBalanceThreshold))
      events.push(['credits.low_balance', tx, { low_balance_threshold: opts.lowBalanceThreshold }]);
    return events;
  },
  SubscriptionStarted: (d) => [['subscription.started', subscription(d)]],
  SubscriptionCanceled: (d) => [['subscription.canceled', subscription(d)]],
  // started/changed/ended invoices are not renewals: started and canceled have their own events
  SubscriptionInvoiceDue: (d) =>
    d.reason === 'renewed' ? [['subscription.renewed', subscription(d)]] : [],
  CustomerCreated: (d) => [['customer.created', customer(false)(d)]],
  CustomerUpdated: (d) => [['customer.updated', customer(false)(d)]],
  CustomerDeleted: (d) => [['customer.deleted', customer(true)(d)]],
  InvoiceOverdue: (d) => [['invoice.overdue', invoice(d)]],
  CreditNoteIssued: (d) => [['credit_note.issued', { kind: 'credit_note', id: d.credit_note_id }]],
};

export function isMapped(type: EventType): type is MappedType {
  return Object.hasOwn(RULES, type);
}

/** The public events of one internal event, in the order they happened (created before issued). */
export function planPublicEvents(envelope: EventEnvelope, opts: MappingOptions): PlannedEvent[] {
  if (!isMapped(envelope.type)) return [];
  const rule = RULES[envelope.type] as Rule<MappedType>;
  return rule(envelope.data as EventData<MappedType>, opts).map(([type, subject, extra]) => ({
    id: publicEventId(envelope.id, type),
    type,
    timestamp: envelope.occurred_at,
    tenant_id: envelope.tenant_id,
    subject,
    ...(extra && { extra }),
  }));
}
