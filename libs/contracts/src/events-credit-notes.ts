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

export const CREDIT_NOTE_EVENTS = {
  // keyed by invoice: its credit notes apply to it in the order they were issued
  CreditNoteIssued: eventV1('billing', creditNoteIssued, (d) => d.invoice_id),
} as const;
