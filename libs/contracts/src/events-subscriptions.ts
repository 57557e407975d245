import { z } from 'zod';
import { eventV1 } from './events-define';

/**
 * Events of the subscription engine (issue 18: every tenant a provider of plans). The tenants
 * service owns subscriptions and prices their periods; billing turns what is due into invoices
 * through its one invoice, numbering and ledger path.
 */
const invoiceLine = z.object({
  charge_code: z.string().min(1),
  description: z.string().min(1).max(500),
  kind: z.enum(['flat', 'per_seat', 'usage', 'proration']),
  period_start: z.iso.datetime(),
  period_end: z.iso.datetime(),
  /** Decimal string: seats, or a metric's usage in its own unit ("12.5"). */
  quantity: z.string(),
  /** Decimal string in major units of `currency`, when the line has one price per unit. */
  unit_amount: z.string().optional(),
  amount_minor: z.number().int().min(0),
});

const invoiceDue = z.object({
  subscription_id: z.string().min(1),
  /** Who is billed: an organization (a tenant, by id) or one of the provider's customers. */
  subscriber: z.object({
    kind: z.enum(['organization', 'customer']),
    id: z.string().min(1),
    name: z.string().nullable(),
  }),
  plan_id: z.string().min(1),
  plan_code: z.string().min(1),
  plan_version: z.number().int().positive(),
  currency: z.string().length(3),
  /** The moment the amount became due (a period boundary, a plan change): the invoice's issue date. */
  due_at: z.iso.datetime(),
  reason: z.enum(['started', 'renewed', 'changed', 'ended']),
  /**
   * Unique among the subscription's invoices (the boundary and the reason): billing derives the
   * invoice id from it, so a redelivered or re-announced event never makes a second invoice.
   */
  invoice_key: z.string().min(1).max(200),
  lines: z.array(invoiceLine).min(1).max(500),
  /**
   * Of the subscriber's credit balance (a downgrade taken at once), what this invoice takes, in
   * minor units, at most its total: billing issues a credit note of this amount against it.
   */
  credit_minor: z.number().int().min(1).optional(),
});
export type SubscriptionInvoiceLine = z.infer<typeof invoiceLine>;

/**
 * A provider's request of usage events was accepted: its resolved events are in tenants'
 * `usage_batches` document `batch_id`, which the usage consumer reads by id. The event names the
 * batch instead of carrying its events: 1,000 events make a message of about 250 kB, and the
 * outbox relay sends one partition's messages as one record batch, which a few such messages would
 * push past Kafka's 1 MB limit.
 */
const usageBatchRecorded = z.object({
  tenant_id: z.string().min(1),
  batch_id: z.string().min(1),
  events: z.number().int().min(1).max(1000),
  received_at: z.iso.datetime(),
});

export const SUBSCRIPTION_EVENTS = {
  /**
   * A subscription owes an invoice: fees in advance for the period starting, usage in arrears for
   * the period ending, or a plan change's proration. The envelope's tenant is the provider.
   */
  SubscriptionInvoiceDue: eventV1('tenants', invoiceDue, (d) => d.subscription_id),
  /**
   * Keyed by the provider (tenant), not by subscription: one request may name many subscriptions,
   * and one key keeps a provider's batches in the order they were accepted, so of two batches
   * holding the same transaction_id the earlier one counts, and TenantDeleted (keyed by tenant too)
   * comes after every batch of the tenant. The price is that one provider's usage is folded by one
   * partition's consumer at a time (bench/usage-ingest.cjs measures that).
   */
  UsageBatchRecorded: eventV1('tenants', usageBatchRecorded, (d) => d.tenant_id),
} as const;
