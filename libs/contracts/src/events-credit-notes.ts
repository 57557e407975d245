import { z } from 'zod';
import { eventV1 } from './events-define';
import { currencySchema } from './money';

/**
 * A credit note was issued (issue 17): the invoice owes `amount_minor` less. Billing's worker
 * applies it to the invoice (once, by its id) and the ledger posts it: the receivable down by the
 * amount, VAT payable and revenue down by its parts (vat_minor + net_minor = amount_minor).
 */
const creditNoteIssued = z.object({
  credit_note_id: z.string().min(1),
  credit_note_number: z.string().min(1),
  invoice_id: z.string().min(1),
  invoice_number: z.string().nullable(),
  customer_id: z.string().nullable(),
  currency: currencySchema,
  amount_minor: z.number().int().positive(),
  vat_minor: z.number().int().nonnegative(),
  net_minor: z.number().int().nonnegative(),
  reason: z.string(),
  issue_date: z.string(),
});

/**
 * A credit note that a provider subscription's credit balance paid for was refused by the payments
 * service (the invoice owed nothing by then: paid in full while the note waited for its hold), so
 * it is never issued and its amount goes back to the subscription's balance (issue 18). Billing
 * writes it with the note's final `returned` state; tenants adds it to `credit_balance` once per
 * credit note. `tenant_id` of the envelope is the provider.
 */
const subscriptionCreditReturned = z.object({
  subscription_id: z.string().min(1),
  credit_note_id: z.string().min(1),
  invoice_id: z.string().min(1),
  amount_minor: z.number().int().positive(),
  currency: currencySchema,
});

export const CREDIT_NOTE_EVENTS = {
  // keyed by invoice: its credit notes apply to it in the order they were issued
  CreditNoteIssued: eventV1('billing', creditNoteIssued, (d) => d.invoice_id),
  // keyed by subscription: the aggregate that consumes it
  SubscriptionCreditReturned: eventV1(
    'billing',
    subscriptionCreditReturned,
    (d) => d.subscription_id,
  ),
} as const;
