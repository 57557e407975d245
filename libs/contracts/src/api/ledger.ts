import { z } from 'zod';
import { amountInputSchema, currencySchema, minorSumSchema } from '../money';
import { invoiceView } from './invoices';
import { component } from '../component';

/**
 * Seed 001's ledger, balance, cart, checkout and metrics endpoints. Seed 001 writes amounts as
 * integer minor units with a lower-case `unit` (`{"amount": 1000, "unit": "usd"}` is $10). These
 * endpoints answer every amount twice: the decimal string with `currency` that every endpoint
 * answers, and seed 001's integer minor units beside it as `<field>_minor` (with `unit`).
 */

/** Seed 001's integer minor units of one amount (always a safe integer: at most MAX_AMOUNT_MINOR). */
const minor = z.number().int().describe('integer minor units (seed 001 encoding: 1000 = $10)');

export const LEDGER_ENTRY_KINDS = [
  'invoice_issued',
  'invoice_void',
  'payment',
  'payment_voided',
  'refund',
  'credits_purchase',
  'credits_usage',
  'credits_refund',
  'charge',
  'offline_payment',
  'write_off',
  'credit_note',
] as const;

export const ledgerLineView = component(
  'LedgerLine',
  z.object({
    account: z.string(),
    debit: z.string().describe('decimal string, "0.00" when the line is a credit'),
    credit: z.string(),
    debit_minor: minor,
    credit_minor: minor,
  }),
);

export const ledgerTransactionView = component(
  'LedgerTransaction',
  z.object({
    id: z.string(),
    created_at: z.string(),
    description: z.string(),
    kind: z.enum(LEDGER_ENTRY_KINDS),
    /** What posted the entry: the event (type and id) and its idempotency key. */
    source: z.object({
      key: z.string(),
      event_type: z.string().nullable(),
      event_id: z.string().nullable(),
    }),
    amount: z.string().describe('the entry total: sum of its debits (= sum of its credits)'),
    amount_minor: minor,
    currency: z.string(),
    unit: z.string().describe('seed 001 spelling of currency, lower case'),
    /** The account funds came from (first credited) and went to (first debited), DjaoDjin style. */
    orig_account: z.string(),
    dest_account: z.string(),
    /** The counterparty profile (customer id) whose balance moves, if any. */
    orig_profile: z.string().nullable(),
    dest_profile: z.string().nullable(),
    invoice_id: z.string().nullable(),
    lines: z.array(ledgerLineView),
  }),
);
export type LedgerTransactionView = z.infer<typeof ledgerTransactionView>;

export const balanceKindSchema = z.enum(['charge', 'offline_payment', 'write_off']);

/**
 * The scale of `amount` follows the currency field sent: with seed 001's `unit` it is an integer
 * of minor units (`{"amount": 1000, "unit": "usd"}` is 10.00 USD; 10.5 is a 422); with `currency`
 * (or neither: the customer's currency) it is a decimal like everywhere else. Both at once is a
 * 422, so one body is never read at two scales.
 */
export const balanceRequest = component(
  'BalanceEntryCreate',
  z.object({
    amount: amountInputSchema.describe(
      'positive; with `unit`: integer minor units (seed 001); otherwise a decimal with at most the currency digits',
    ),
    currency: currencySchema
      .optional()
      .describe('amount is a decimal of this currency; defaults to the customer currency'),
    unit: currencySchema
      .optional()
      .describe(
        'seed 001: amount is an integer of minor units of this currency; not with currency',
      ),
    kind: balanceKindSchema.default('charge'),
    description: z.string().max(500).optional(),
    /** A client reference: the same reference posts once (as does the Idempotency-Key header). */
    reference: z.string().min(1).max(200).optional(),
  }),
);
export type BalanceRequest = z.infer<typeof balanceRequest>;

export const balanceView = component(
  'Balance',
  z.object({
    profile: z.string(),
    currency: z.string(),
    unit: z.string().describe('seed 001 spelling of currency, lower case'),
    balance_due: z.string(),
    balance_due_minor: minorSumSchema,
    /** Other currencies the profile owes in, if any. */
    other_currencies: z.array(
      z.object({
        currency: z.string(),
        unit: z.string(),
        balance_due: z.string(),
        balance_due_minor: minorSumSchema,
      }),
    ),
  }),
);

export const balanceEntryView = component(
  'BalanceEntry',
  z.object({
    transaction: ledgerTransactionView,
    balance: balanceView,
  }),
);

export const cartItemRequest = z.object({
  plan: z.string().min(1).describe('plan id or slug'),
  option: z.enum(['monthly', 'yearly']).default('monthly'),
  quantity: z.number().int().min(1).max(1000).default(1),
});
export type CartItemRequest = z.infer<typeof cartItemRequest>;

export const cartView = component(
  'Cart',
  z.object({
    items: z.array(
      z.object({
        plan: z.string(),
        name: z.string(),
        option: z.enum(['monthly', 'yearly']),
        quantity: z.number(),
        unit_price: z.string(),
        unit_price_minor: minor,
        amount: z.string(),
        amount_minor: minor,
        currency: z.string(),
        unit: z.string(),
      }),
    ),
    total: z.string().nullable(),
    total_minor: minorSumSchema.nullable(),
    currency: z.string().nullable(),
    unit: z.string().nullable(),
  }),
);

export const checkoutRequest = z.object({
  payment_method: z.string().min(1).max(100).default('card'),
});

export const checkoutView = component(
  'Checkout',
  z.object({
    /** The order's total (the invoice's total_bill_amount), also in seed 001's minor units. */
    total: z.string(),
    total_minor: minor,
    currency: z.string(),
    unit: z.string(),
    invoice: invoiceView,
    payment: z.record(z.string(), z.unknown()).nullable(),
    paid: z.boolean(),
  }),
);

export const metricsQuery = z.object({
  start_at: z.string().optional(),
  ends_at: z.string().optional(),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  currency: currencySchema.optional(),
});

export const metricsTableView = component(
  'MetricsTable',
  z.object({
    title: z.string(),
    scale: z.number(),
    unit: z.string().nullable(),
    currency: z.string().nullable(),
    table: z.array(
      z.object({
        key: z.string(),
        values: z.array(z.tuple([z.string(), z.union([z.string(), z.number()])])),
        /** Money tables only: the same values in seed 001's integer minor units. */
        values_minor: z.array(z.tuple([z.string(), minorSumSchema])).optional(),
      }),
    ),
  }),
);
export type MetricsTableView = z.infer<typeof metricsTableView>;
