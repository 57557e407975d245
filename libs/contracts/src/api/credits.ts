import { z } from 'zod';
import { amountInputSchema, currencySchema } from '../money';
import { CREDIT_TRANSACTION_TYPES } from '../events-credits';
import { invoiceStatusSchema } from '../events';
import { component } from '../component';

/** Prepaid credits (seed 000): request bodies and the views the API answers with. */

const credits = z.number().int().positive().max(1_000_000_000);

export const consumeCreditsRequest = component(
  'CreditConsumption',
  z.object({
    /** What the credits pay for (seed 000 usage log `operation_type`, e.g. "clustering"). */
    operation_type: z.string().trim().min(1).max(100),
    credits,
    description: z.string().max(500).optional(),
  }),
);
export type ConsumeCreditsRequest = z.infer<typeof consumeCreditsRequest>;

export const creditPackageRequest = component(
  'CreditPackageCreate',
  z.object({
    name: z.string().trim().min(1).max(200),
    credits,
    price: amountInputSchema,
    currency: currencySchema.default('USD'),
    is_active: z.boolean().default(true),
  }),
);
export type CreditPackageRequest = z.infer<typeof creditPackageRequest>;

export const creditPackagePatchRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    credits,
    price: amountInputSchema,
    is_active: z.boolean(),
  })
  .partial()
  .strict();
export type CreditPackagePatchRequest = z.infer<typeof creditPackagePatchRequest>;

/** `days`: a whole number of days from 1 to 365 (default 30). */
export const usageAnalyticsQuery = z.object({
  days: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 365, 'must be between 1 and 365')
    .optional()
    .transform((n) => n ?? 30),
});

export const transactionTypeSchema = z.enum(CREDIT_TRANSACTION_TYPES);

export const creditBalanceView = component(
  'CreditBalance',
  z.object({
    credits: z.number().int(),
    plan_credits_per_month: z.number().int(),
    credits_used_this_month: z.number().int(),
    credits_remaining: z.number().int(),
  }),
);

export const creditTransactionView = component(
  'CreditTransaction',
  z.object({
    id: z.string(),
    amount: z.number().int(),
    transaction_type: transactionTypeSchema,
    description: z.string(),
    created_at: z.string(),
    balance_after: z.number().int(),
    seq: z.number().int(),
    operation_type: z.string().nullable(),
    invoice_id: z.string().nullable(),
  }),
);
export type CreditTransactionView = z.infer<typeof creditTransactionView>;

export const creditUsageView = component(
  'CreditUsage',
  z.object({
    id: z.string(),
    operation_type: z.string(),
    credits_used: z.number().int(),
    /** The money value of the credits used, in USD (see docs: last USD purchase price or 0.01). */
    cost_usd: z.string(),
    created_at: z.string(),
    description: z.string(),
  }),
);

export const consumeCreditsResponse = component(
  'CreditConsumed',
  z.object({
    transaction: creditTransactionView,
    balance: creditBalanceView,
  }),
);

export const creditPackageView = component(
  'CreditPackage',
  z.object({
    id: z.string(),
    name: z.string(),
    credits: z.number().int(),
    price: z.string(),
    currency: z.string(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

export const platformInvoiceSummaryView = component(
  'PlatformInvoiceSummary',
  z.object({
    id: z.string(),
    invoice_number: z.string().nullable(),
    status: invoiceStatusSchema,
    currency: z.string(),
    total_amount: z.string(),
    total_paid_amount: z.string(),
    total_balance_due: z.string(),
    issue_date: z.string().nullable(),
    remarks: z.string().nullable(),
    created_at: z.string(),
  }),
);

export const creditPurchaseView = component(
  'CreditPurchase',
  z.object({
    id: z.string(),
    package_id: z.string(),
    credits: z.number().int(),
    price: z.string(),
    currency: z.string(),
    /** pending until the invoice is paid; granted once the credits are on the balance. */
    status: z.enum(['pending', 'granted']),
    invoice_id: z.string(),
    invoice: platformInvoiceSummaryView,
    created_at: z.string(),
  }),
);

export const usageAnalyticsView = component(
  'UsageAnalytics',
  z.object({
    period_days: z.number().int(),
    current_balance: z.number().int(),
    usage_by_type: z.array(
      z.object({
        transaction_type: transactionTypeSchema,
        total: z.number().int(),
        count: z.number().int(),
      }),
    ),
    daily_usage: z.array(
      z.object({
        date: z.string(),
        usage: z.number().int(),
        purchases: z.number().int(),
        net: z.number().int(),
      }),
    ),
    total_usage: z.number().int(),
    total_purchases: z.number().int(),
  }),
);
