import { z } from 'zod';
import { amountInputSchema, currencySchema } from '../money';
import { auditFields, dateInput, idInput } from './common';

export const paymentStatusSchema = z.enum(['pending', 'completed', 'failed', 'voided']);

/**
 * Seed 002 puts the amount on a payment *detail*; a payment is only useful with an amount, so the
 * master accepts `amount` (or the detail's `pay_amount`) directly.
 */
export const createPaymentRequest = z
  .object({
    invoice_master_id: idInput,
    customer_entitlement_master_id: idInput.optional(),
    payment_date: dateInput.optional(),
    payment_method: z.string().trim().min(1).max(64),
    amount: amountInputSchema.optional(),
    pay_amount: amountInputSchema.optional(),
    currency: currencySchema.optional(),
    transaction_id: z.string().trim().max(128).optional(),
    remarks: z.string().max(1000).optional(),
    status: z.enum(['pending', 'completed']).default('completed'),
  })
  .refine((p) => p.amount !== undefined || p.pay_amount !== undefined, {
    path: ['amount'],
    message: 'amount (or pay_amount) is required',
  });
export type CreatePaymentRequest = z.infer<typeof createPaymentRequest>;

export const paymentView = z.object({
  id: z.string(),
  invoice_master_id: z.string(),
  customer_id: z.string().nullable(),
  customer_entitlement_master_id: z.string().nullable(),
  payment_date: z.string(),
  payment_method: z.string(),
  amount: z.string(),
  currency: z.string(),
  transaction_id: z.string().nullable(),
  status: paymentStatusSchema,
  remarks: z.string().nullable(),
  ...auditFields,
});
export type PaymentView = z.infer<typeof paymentView>;
