import { z } from 'zod';
import { eventV1 } from './events-define';
import { currencySchema } from './money';

/**
 * Prepaid credits (seed 000), owned by billing. Every change of a tenant's credit balance is one
 * transaction with the balance after it and a per-tenant sequence number, so a projection (auth's
 * account settings `credit_balance`) keeps the highest sequence it has seen and ignores the rest.
 */
export const CREDIT_TRANSACTION_TYPES = ['grant', 'purchase', 'deduction', 'refund'] as const;

const creditTransaction = z.object({
  transaction_id: z.string().min(1),
  /** The tenant whose balance changed (also the envelope's tenant_id). */
  tenant_id: z.string().min(1),
  transaction_type: z.enum(CREDIT_TRANSACTION_TYPES),
  /** Credits moved: positive for grant/purchase/refund, negative for deduction. */
  amount: z.number().int(),
  balance_after: z.number().int().min(0),
  /** 1, 2, 3 ... per tenant, in the order the balance changed. */
  seq: z.number().int().positive(),
  description: z.string(),
  /** Deductions: what the credits paid for (seed 000 usage log `operation_type`). */
  operation_type: z.string().nullable(),
  /**
   * The money value of the credits moved, when there is one: the price paid for a purchase, the
   * cost of a deduction. Integer minor units of `currency`.
   */
  value_minor: z.number().int().min(0).nullable(),
  currency: currencySchema.nullable(),
  /** The platform invoice that paid for a purchase. */
  invoice_id: z.string().nullable(),
});
export type CreditTransactionData = z.infer<typeof creditTransaction>;

export const CREDIT_EVENTS = {
  CreditTransactionRecorded: eventV1('billing', creditTransaction, (d) => d.tenant_id),
} as const;
