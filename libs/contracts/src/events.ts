import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { currencySchema } from './money';
import { CUSTOMER_EVENTS } from './events-customers';
import { TENANT_EVENTS } from './events-tenants';
import { CREDIT_EVENTS } from './events-credits';
import { SUBSCRIPTION_EVENTS } from './events-subscriptions';
import { BILLING_RUN_EVENTS } from './events-billing-runs';
import { CREDIT_NOTE_EVENTS } from './events-credit-notes';
import { DUNNING_EVENTS } from './events-dunning';

/**
 * Every event on the bus: its topic family, schema version, payload schema and the key that keeps
 * one aggregate's events in order on one partition. Money travels as integer minor units.
 */

import { defineEvent, eventV1 } from './events-define';
export { defineEvent };

export const TOPICS = {
  auth: 'ledgerline.auth',
  tenants: 'ledgerline.tenants',
  customers: 'ledgerline.customers',
  billing: 'ledgerline.billing',
  payments: 'ledgerline.payments',
} as const;
export type TopicFamily = keyof typeof TOPICS;

const id = z.string().min(1);
const minor = z.number().int();
const timestamp = z.iso.datetime({ offset: true });

export const invoiceStatusSchema = z.enum(['draft', 'unpaid', 'partial', 'paid', 'void']);

const tenantRegistered = z.object({
  tenant_id: id,
  name: z.string(),
  slug: z.string(),
  /** "shadow": seed 001's profile without a manager (owner_user_id null). */
  type: z.enum(['personal', 'organization', 'shadow']),
  owner_user_id: id.nullable(),
  owner_email: z.string(),
});

const userRegistered = z.object({
  user_id: id,
  username: z.string(),
  email: z.string(),
  full_name: z.string(),
});

const membership = z.object({
  tenant_id: id,
  user_id: id,
  role: z.enum(['owner', 'admin', 'member', 'viewer']),
});

const invoiceAmounts = {
  invoice_id: id,
  invoice_number: z.string().nullable(),
  customer_id: z.string().nullable(),
  currency: currencySchema,
  status: invoiceStatusSchema,
  total_minor: minor,
  paid_minor: minor,
  balance_due_minor: minor,
  /** The totals' parts (total = sub_total + vat - discount); 0 in events from before they existed. */
  sub_total_minor: minor.default(0),
  vat_minor: minor.default(0),
  discount_minor: minor.default(0),
  /** The invoice's issue date (YYYY-MM-DD), null for drafts; absent in events from before it existed. */
  issue_date: z.string().nullable().default(null),
  /** When it is due (YYYY-MM-DD), null without terms; absent in events from before it existed. */
  due_date: z.string().nullable().default(null),
  /** The provider subscription the invoice bills (issue 18), null for other invoices. */
  subscription_id: z.string().nullable().default(null),
  /**
   * The dunning final action taken on the invoice (issue 17), null when none: whoever carried it
   * out lifts it when the invoice is paid, without a look-up for every other invoice.
   */
  dunning_action: z
    .enum(['none', 'suspend_entitlements', 'suspend_subscription'])
    .nullable()
    .default(null),
};

const invoiceCreated = z.object(invoiceAmounts);

const invoiceStatusChanged = z.object({
  ...invoiceAmounts,
  previous_status: invoiceStatusSchema,
  /** The payment that caused the change, when one did. */
  payment_id: id.nullable(),
  /**
   * What this change moved on paid_minor: + a payment applied, - a payment voided or refunded,
   * 0 for issue and void. The ledger posts exactly this amount.
   */
  applied_minor: minor.default(0),
  /** Why paid_minor moved: a payment, a voided payment, or a refund (id in refund_id). */
  payment_change: z.enum(['payment', 'payment_voided', 'refund']).nullable().default(null),
  refund_id: id.nullable().default(null),
  /**
   * The credit note this change applied (issue 17): what the invoice owes dropped by its amount
   * (paid_minor unchanged, applied_minor 0). The ledger posts it from here, once applied.
   */
  credit_note: z
    .object({
      credit_note_id: id,
      credit_note_number: z.string(),
      amount_minor: minor,
      vat_minor: minor,
      net_minor: minor,
    })
    .nullable()
    .default(null),
});

/** What every payment event names: the payment, the invoice it pays and the amount. */
const paymentAmount = {
  payment_id: id,
  invoice_id: id,
  customer_id: z.string().nullable(),
  amount_minor: minor.positive(),
  currency: currencySchema,
};

const paymentRecorded = z.object({
  ...paymentAmount,
  payment_method: z.string(),
  payment_date: z.string(),
});

/** A completed payment was voided: billing takes its whole amount back off the invoice. */
const paymentVoided = z.object({
  ...paymentAmount,
  reason: z.string().nullable(),
});

/** Part or all of a payment was refunded (the sum of refunds never exceeds the payment). */
const paymentRefunded = z.object({
  refund_id: id,
  ...paymentAmount,
  reason: z.string().nullable(),
});

/** Core events; each domain's own events live in events-<domain>.ts and are merged below. */
const CORE_EVENTS = {
  TenantRegistered: eventV1('auth', tenantRegistered, (d) => d.tenant_id),
  UserRegistered: eventV1('auth', userRegistered, (d) => d.user_id),
  /** A user joined or left a tenant's team (usage "staff"). Keyed by user: one user's changes stay in order. */
  MemberJoined: eventV1('auth', membership, (d) => d.user_id),
  MemberLeft: eventV1('auth', membership, (d) => d.user_id),
  InvoiceCreated: eventV1('billing', invoiceCreated, (d) => d.invoice_id),
  InvoiceStatusChanged: eventV1('billing', invoiceStatusChanged, (d) => d.invoice_id),
  // Keyed by invoice: the aggregate that consumes it is the invoice, so its payments stay in order.
  PaymentRecorded: eventV1('payments', paymentRecorded, (d) => d.invoice_id),
  PaymentVoided: eventV1('payments', paymentVoided, (d) => d.invoice_id),
  PaymentRefunded: eventV1('payments', paymentRefunded, (d) => d.invoice_id),
} as const;

export const EVENTS = {
  ...CORE_EVENTS,
  ...TENANT_EVENTS,
  ...CUSTOMER_EVENTS,
  ...CREDIT_EVENTS,
  ...BILLING_RUN_EVENTS,
  ...SUBSCRIPTION_EVENTS,
  ...CREDIT_NOTE_EVENTS,
  ...DUNNING_EVENTS,
} as const;

export type EventType = keyof typeof EVENTS;
export type EventData<T extends EventType> = z.infer<(typeof EVENTS)[T]['schema']>;
/** What a producer must give: fields with defaults in the schema may be left out. */
export type EventInput<T extends EventType> = z.input<(typeof EVENTS)[T]['schema']>;
export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurred_at: string;
  tenant_id: string;
  correlation_id: string;
  data: EventData<T>;
}

export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
  version: z.number().int().positive(),
  occurred_at: timestamp,
  tenant_id: id,
  correlation_id: z.string().min(1),
  data: z.unknown(),
});

export function buildEvent<T extends EventType>(
  type: T,
  input: { tenant_id: string; correlation_id?: string; data: EventInput<T>; now?: Date },
): EventEnvelope<T> {
  const spec = EVENTS[type];
  const data = spec.schema.parse(input.data) as EventData<T>;
  const eventId = randomUUID();
  return {
    id: eventId,
    type,
    version: spec.version,
    occurred_at: (input.now ?? new Date()).toISOString(),
    tenant_id: input.tenant_id,
    correlation_id: input.correlation_id ?? eventId,
    data,
  };
}

/** Validates an envelope and its payload; throws a ZodError on anything malformed. */
export function parseEvent(raw: unknown): EventEnvelope {
  const envelope = eventEnvelopeSchema.parse(raw);
  const data = EVENTS[envelope.type].schema.parse(envelope.data);
  return { ...envelope, data } as EventEnvelope;
}

export function eventKey<T extends EventType>(event: EventEnvelope<T>): string {
  return (EVENTS[event.type].key as (d: EventData<T>) => string)(event.data);
}

/** Topic names can carry a prefix so tests and environments do not share topics. */
export function topicName(family: TopicFamily, prefix = ''): string {
  return `${prefix}${TOPICS[family]}`;
}

export function topicOf(type: EventType, prefix = ''): string {
  return topicName(EVENTS[type].topic as TopicFamily, prefix);
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
