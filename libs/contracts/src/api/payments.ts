import { z } from 'zod';
import { amountInputSchema, currencySchema } from '../money';
import { auditFields, dateInput, idInput } from './common';
import { component } from '../component';

export const paymentStatusSchema = z.enum(['pending', 'completed', 'failed', 'voided']);

/**
 * Seed 002 puts the amount on a payment *detail*; a payment is only useful with an amount, so the
 * master accepts `amount` (or the detail's `pay_amount`) directly.
 */
/**
 * A payment against an issued invoice. With `amount` (or seed 002's `pay_amount`) it holds that
 * money; without one it is seed 002's payment master, which holds nothing itself and receives
 * money through the payment details added to it.
 */
export const createPaymentRequest = component(
  'PaymentCreate',
  z.object({
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
  }),
);
export type CreatePaymentRequest = z.infer<typeof createPaymentRequest>;

/**
 * The changes a payment accepts after it is recorded: a pending payment completes (and only then
 * settles its invoice) or fails; remarks and transaction id can be corrected. Money moves only
 * through void and refund.
 */
export const updatePaymentRequest = z
  .object({
    status: z.enum(['completed', 'failed']).optional(),
    transaction_id: z.string().trim().max(128).optional(),
    remarks: z.string().max(1000).optional(),
  })
  .strict();
export type UpdatePaymentRequest = z.infer<typeof updatePaymentRequest>;

export const voidPaymentRequest = z.object({ reason: z.string().trim().max(500).optional() });
export type VoidPaymentRequest = z.infer<typeof voidPaymentRequest>;

export const refundPaymentRequest = component(
  'RefundCreate',
  z.object({
    amount: amountInputSchema,
    reason: z.string().trim().max(500).optional(),
  }),
);
export type RefundPaymentRequest = z.infer<typeof refundPaymentRequest>;

export const refundView = component(
  'Refund',
  z.object({
    id: z.string(),
    amount: z.string(),
    reason: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
  }),
);

export const paymentView = component(
  'Payment',
  z.object({
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
    /** Sum of the refunds so far; the payment's net is amount - refunded_amount. */
    refunded_amount: z.string(),
    refunds: z.array(refundView),
    completed_at: z.string().nullable(),
    voided_at: z.string().nullable(),
    void_reason: z.string().nullable(),
    ...auditFields,
  }),
);
export type PaymentView = z.infer<typeof paymentView>;

/** Seed 002 payment details: money added to a payment master (a further payment on its invoice). */
export const createPaymentDetailRequest = component(
  'PaymentDetailCreate',
  z.object({
    payment_master_id: idInput,
    pay_amount: amountInputSchema,
    transaction_id: z.string().trim().max(128).optional(),
    remarks: z.string().max(1000).optional(),
    status: z.enum(['pending', 'completed']).default('completed'),
  }),
);
export type CreatePaymentDetailRequest = z.infer<typeof createPaymentDetailRequest>;

export const paymentDetailView = component(
  'PaymentDetail',
  z.object({
    id: z.string(),
    payment_master_id: z.string(),
    invoice_master_id: z.string(),
    pay_amount: z.string(),
    currency: z.string(),
    transaction_id: z.string().nullable(),
    remarks: z.string().nullable(),
    status: paymentStatusSchema,
    created_at: z.string(),
  }),
);
export type PaymentDetailView = z.infer<typeof paymentDetailView>;

/** Seed 002 `by_customer`: received money per customer (net of refunds, completed payments). */
export const customerPaymentTotals = component(
  'CustomerPaymentTotals',
  z.object({
    customer_id: z.string().nullable(),
    customer_name: z.string().nullable(),
    currency: z.string(),
    total_received: z.string(),
    payment_count: z.number().int(),
  }),
);

export const paymentMethodView = component(
  'PaymentMethod',
  z.object({
    payment_method: z.string(),
    display_name: z.string(),
    is_enabled: z.boolean(),
  }),
);
export const updatePaymentMethodRequest = z.object({ is_enabled: z.boolean() }).strict();

/** Seed 000: a tenant paying an invoice the platform issued to it. */
export const createPlatformPaymentRequest = component(
  'PlatformPaymentCreate',
  z.object({
    invoice_id: idInput,
    payment_method: z.string().trim().min(1).max(64),
    /** The balance due when omitted. */
    amount: amountInputSchema.optional(),
    currency: currencySchema.optional(),
    transaction_id: z.string().trim().max(128).optional(),
  }),
);
export type CreatePlatformPaymentRequest = z.infer<typeof createPlatformPaymentRequest>;

export const platformPaymentView = component(
  'PlatformPayment',
  z.object({
    id: z.string(),
    invoice_id: z.string(),
    amount: z.string(),
    currency: z.string(),
    /** Seed 000's vocabulary: a completed payment reads "succeeded". */
    status: z.enum(['pending', 'succeeded', 'failed', 'voided']),
    payment_method: z.string(),
    refunded_amount: z.string(),
    created_at: z.string(),
  }),
);
export type PlatformPaymentView = z.infer<typeof platformPaymentView>;

/** Billing's checkout "pay now" (service to service, not routed by the gateway). */
export const internalPaymentRequest = z.object({
  tenant_id: z.string().min(1),
  invoice_id: z.string().min(1),
  customer_id: z.string().nullable().optional(),
  amount_minor: z.number().int().positive(),
  currency: currencySchema,
  payment_method: z.string().trim().min(1).max(64),
  idempotency_key: z.string().min(1).max(255),
  created_by: z.string().nullable().optional(),
});
export type InternalPaymentRequest = z.infer<typeof internalPaymentRequest>;

/**
 * Billing asks the payments service, the owner of an invoice's balance, to hold a credit note's
 * amount against it (issue 17): idempotent by credit note id; 422 when the invoice no longer owes it.
 */
export const internalCreditRequest = z.object({
  credit_note_id: z.string().min(1).max(200),
  amount_minor: z.number().int().positive(),
  /** The invoice's total as billing (its owner) holds it. */
  invoice_total_minor: z.number().int().nonnegative(),
  currency: currencySchema,
});
export type InternalCreditRequest = z.infer<typeof internalCreditRequest>;
export const internalCreditAnswer = z.object({
  credit_note_id: z.string(),
  amount_minor: z.number().int(),
  /** What the invoice owes once every payment and credit note is counted. */
  outstanding_minor: z.number().int(),
});
export type InternalCreditAnswer = z.infer<typeof internalCreditAnswer>;

/** `grace_seconds`: whole seconds from 0 to 86400 (default 30); the document shows the digits. */
export const reconciliationQuery = z.object({
  grace_seconds: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number of seconds')
    .transform(Number)
    .refine((n) => n <= 86_400, 'must be at most 86400')
    .optional()
    .transform((n) => n ?? 30)
    .describe('whole seconds from 0 to 86400, default 30'),
});

export const reconciliationItem = component(
  'ReconciliationItem',
  z.object({
    /** overpaid_invoice: billing reports the invoice paid beyond its total by `amount`. */
    kind: z.enum(['payment', 'payment_voided', 'refund', 'overpaid_invoice']),
    payment_id: z.string().nullable(),
    refund_id: z.string().nullable(),
    invoice_id: z.string(),
    amount: z.string(),
    currency: z.string(),
    since: z.string(),
  }),
);
export type ReconciliationItem = z.infer<typeof reconciliationItem>;
