import { formatMinor, type EventData, type EventEnvelope } from '@ledgerline/contracts';
import type { Subject } from './mapping';

/**
 * A public event's `data` when its owner no longer has the object (404: a draft invoice deleted,
 * the whole tenant deleted): what the internal event itself says, in the public representation's
 * field names, marked `deleted: true`. A subset of the GET's fields, never more, so nothing
 * internal leaks (no revisions, outbox fields).
 */
export function dataFromEvent(envelope: EventEnvelope, subject: Subject): Record<string, unknown> {
  const data = envelope.data as Record<string, unknown>;
  switch (subject.kind) {
    case 'invoice':
      return invoiceFromEvent(data as EventData<'InvoiceCreated'>);
    case 'payment':
      return envelope.type === 'PaymentRefunded'
        ? refundedPaymentFromEvent(data as EventData<'PaymentRefunded'>)
        : paymentFromEvent(data as EventData<'PaymentRecorded'>);
    case 'customer':
      return customerFromEvent(data as EventData<'CustomerCreated'>);
    case 'subscription':
      return envelope.type === 'SubscriptionInvoiceDue'
        ? dueSubscriptionFromEvent(data as EventData<'SubscriptionInvoiceDue'>)
        : subscriptionFromEvent(data as EventData<'SubscriptionStarted'>);
    case 'credit_transaction':
      return transactionFromEvent(data as EventData<'CreditTransactionRecorded'>, envelope);
    case 'credit_note':
      return creditNoteFromEvent(data as EventData<'CreditNoteIssued'>);
  }
}

function invoiceFromEvent(d: EventData<'InvoiceCreated'>) {
  const money = (minor: number) => formatMinor(minor, d.currency);
  return {
    id: d.invoice_id,
    invoice_number: d.invoice_number,
    customer_id: d.customer_id,
    status: d.status,
    currency: d.currency,
    issue_date: d.issue_date,
    sub_total: money(d.sub_total_minor),
    vat_amount: money(d.vat_minor),
    discount_amount: money(d.discount_minor),
    total_bill_amount: money(d.total_minor),
    total_paid_amount: money(d.paid_minor),
    total_balance_due: money(Math.max(0, d.balance_due_minor)),
    deleted: true,
  };
}

/** A recorded or voided payment's event names the payment, its invoice, customer and amount. */
function paymentFromEvent(d: EventData<'PaymentRecorded'>) {
  return {
    id: d.payment_id,
    invoice_master_id: d.invoice_id,
    customer_id: d.customer_id,
    amount: formatMinor(d.amount_minor, d.currency),
    currency: d.currency,
    deleted: true,
  };
}

/** A refund's event carries the refund's amount, not the payment's: it goes in `refunds`. */
function refundedPaymentFromEvent(d: EventData<'PaymentRefunded'>) {
  return {
    id: d.payment_id,
    invoice_master_id: d.invoice_id,
    customer_id: d.customer_id,
    currency: d.currency,
    refunds: [
      { id: d.refund_id, amount: formatMinor(d.amount_minor, d.currency), reason: d.reason },
    ],
    deleted: true,
  };
}

function customerFromEvent(d: EventData<'CustomerCreated'>) {
  return {
    id: d.customer_id,
    customer_number: d.customer_number,
    customer_name: d.customer_name,
    customer_type: d.customer_type,
    status: d.status,
    is_active: d.is_active,
    currency: d.currency,
    kam_id: d.kam_id,
    email: d.email,
    deleted: true,
  };
}

function subscriptionFromEvent(d: EventData<'SubscriptionStarted'>) {
  const who = d.subscriber;
  return {
    id: d.subscription_id,
    organization: who.kind === 'organization' ? { id: who.tenant_id, slug: who.slug } : null,
    customer: who.kind === 'customer' ? { id: who.customer_id } : null,
    plan: { id: d.plan_id, slug: d.plan_code },
    status: d.status,
    seats: d.seats,
    plan_version: d.plan_version,
    trial_ends_at: d.trial_ends_at,
    current_period_start: d.current_period_start,
    current_period_end: d.current_period_end,
    cancel_at_period_end: d.cancel_at_period_end,
    canceled_at: d.canceled_at,
    ends_at: d.ends_at,
    deleted: true,
  };
}

function dueSubscriptionFromEvent(d: EventData<'SubscriptionInvoiceDue'>) {
  const who = d.subscriber;
  return {
    id: d.subscription_id,
    organization: who.kind === 'organization' ? { id: who.id } : null,
    customer: who.kind === 'customer' ? { id: who.id } : null,
    plan: { id: d.plan_id, slug: d.plan_code },
    plan_version: d.plan_version,
    deleted: true,
  };
}

/** A credit note's event has its amounts, invoice and reason (not its lines). */
function creditNoteFromEvent(d: EventData<'CreditNoteIssued'>) {
  const money = (minor: number) => formatMinor(minor, d.currency);
  return {
    id: d.credit_note_id,
    credit_note_number: d.credit_note_number,
    status: 'issued',
    invoice_id: d.invoice_id,
    invoice_number: d.invoice_number,
    customer_id: d.customer_id,
    currency: d.currency,
    amount: money(d.amount_minor),
    vat_amount: money(d.vat_minor),
    net_amount: money(d.net_minor),
    reason: d.reason,
    issue_date: d.issue_date,
    deleted: true,
  };
}

/** The transaction view is all in the event; only its created_at is the event's occurred_at. */
function transactionFromEvent(d: EventData<'CreditTransactionRecorded'>, envelope: EventEnvelope) {
  return {
    id: d.transaction_id,
    amount: d.amount,
    transaction_type: d.transaction_type,
    description: d.description,
    created_at: envelope.occurred_at,
    balance_after: d.balance_after,
    seq: d.seq,
    operation_type: d.operation_type,
    invoice_id: d.invoice_id,
    deleted: true,
  };
}
