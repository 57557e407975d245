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
});
export type SubscriptionInvoiceLine = z.infer<typeof invoiceLine>;

export const SUBSCRIPTION_EVENTS = {
  /**
   * A subscription owes an invoice: fees in advance for the period starting, usage in arrears for
   * the period ending, or a plan change's proration. The envelope's tenant is the provider.
   */
  SubscriptionInvoiceDue: eventV1('tenants', invoiceDue, (d) => d.subscription_id),
} as const;
