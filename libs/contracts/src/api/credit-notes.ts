import { z } from 'zod';
import { amountInputSchema } from '../money';
import { auditFields } from './common';
import { component } from '../component';

/**
 * Credit notes (issue 17): what an issued invoice no longer owes, with a reason, in their own
 * gapless per-tenant series (CN-000001). Refunding money already paid is the refund flow.
 */
export const CREDIT_NOTE_STATUSES = ['pending', 'issued'] as const;

export const createCreditNoteRequest = component(
  'CreditNoteCreate',
  z
    .object({
      invoice_id: z.string().trim().min(1).max(200),
      /** An amount off the invoice (VAT and revenue credited in the invoice's proportions)... */
      amount: amountInputSchema.optional(),
      /** ...or chosen lines, each whole or for part of its total. */
      lines: z
        .array(
          z.object({
            invoice_detail_id: z.string().trim().min(1).max(200),
            amount: amountInputSchema.optional(),
          }),
        )
        .min(1)
        .max(500)
        .optional(),
      reason: z.string().trim().min(1).max(500),
    })
    .refine((b) => (b.amount === undefined) !== (b.lines === undefined), {
      message: 'send either amount or lines',
      path: ['amount'],
    }),
);
export type CreateCreditNoteRequest = z.infer<typeof createCreditNoteRequest>;

const money = z.string();

export const creditNoteView = component(
  'CreditNote',
  z.object({
    id: z.string(),
    /** CN-000001; null while pending. */
    credit_note_number: z.string().nullable(),
    /** pending: waiting for the payments service to hold it against the invoice (issued shortly). */
    status: z.enum(CREDIT_NOTE_STATUSES),
    invoice_id: z.string(),
    invoice_number: z.string().nullable(),
    customer_id: z.string().nullable(),
    currency: z.string(),
    amount: money,
    /** The part of `amount` that was VAT, and the rest (revenue net of discount). */
    vat_amount: money,
    net_amount: money,
    lines: z.array(
      z.object({
        invoice_detail_id: z.string(),
        description: z.string().nullable(),
        amount: money,
      }),
    ),
    reason: z.string(),
    issue_date: z.string().nullable(),
    ...auditFields,
  }),
);
export type CreditNoteView = z.infer<typeof creditNoteView>;
