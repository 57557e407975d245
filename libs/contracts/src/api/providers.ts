import { z } from 'zod';
import { amountInputSchema } from '../money';
import { planLimitsSchema, profileSubscriptionView } from './tenants';
import { component } from '../component';

/**
 * Every tenant a provider (issue 18, seed 001's provider API): billable metrics, plans with
 * versioned terms and charges, and subscriptions of organizations or of the provider's customers.
 * The schemas check shapes; the tenants service checks the terms (currency digits, tiers, metrics)
 * and answers 422 with a detail per field.
 */

const word = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase word (letters, digits, _)');

export const METRIC_AGGREGATIONS = ['count', 'sum', 'max', 'unique_count', 'latest'] as const;

export const billableMetricRequest = component(
  'BillableMetricCreate',
  z.object({
    code: word,
    name: z.string().trim().min(1).max(100),
    aggregation: z.enum(METRIC_AGGREGATIONS),
    /** The event property aggregated; required except for `count`. */
    field: z.string().trim().min(1).max(100).nullable().optional(),
  }),
);
export type BillableMetricRequest = z.infer<typeof billableMetricRequest>;

/** PUT and PATCH both take any subset of the fields but the code. */
export const billableMetricUpdate = billableMetricRequest.omit({ code: true }).partial();
export type BillableMetricUpdate = z.infer<typeof billableMetricUpdate>;

export const billableMetricView = component(
  'BillableMetric',
  z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    aggregation: z.enum(METRIC_AGGREGATIONS),
    field: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

/** A decimal quantity or unit price: a string (exact) or a JSON number. */
const decimalInput = z.union([z.string().trim().min(1).max(40), z.number()]);

export const PRICE_MODELS = ['per_unit', 'graduated', 'volume', 'package'] as const;

const chargeBase = {
  code: word,
  name: z.string().trim().min(1).max(100),
};

export const chargeInput = component(
  'ChargeInput',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('flat'), ...chargeBase, amount: amountInputSchema }),
    z.object({ kind: z.literal('per_seat'), ...chargeBase, unit_amount: amountInputSchema }),
    z.object({
      kind: z.literal('usage'),
      ...chargeBase,
      metric: word,
      model: z.enum(PRICE_MODELS),
      unit_price: decimalInput.optional(),
      tiers: z
        .array(
          z.object({
            up_to: decimalInput.nullable(),
            unit_price: decimalInput,
            flat_amount: amountInputSchema.optional(),
          }),
        )
        .min(1)
        .max(50)
        .optional(),
      package_size: decimalInput.optional(),
      package_amount: amountInputSchema.optional(),
      free_units: decimalInput.optional(),
    }),
  ]),
);
export type ChargeInput = z.infer<typeof chargeInput>;

export const PLAN_INTERVALS = ['month', 'year'] as const;

/**
 * A plan of a provider. DjaoDjin's spellings (seed 001's product) are accepted too: `slug` for
 * `code`, `title` for `name`, `period_type` monthly|yearly for `interval`, `unit` for `currency`,
 * `period_amount` (DjaoDjin's integer minor units: 4900 = 49.00 USD) for one flat charge named
 * "base".
 */
const planFields = {
  code: z.string().trim().optional(),
  slug: z.string().trim().optional(),
  name: z.string().trim().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  currency: z.string().trim().optional(),
  unit: z.string().trim().optional(),
  interval: z.enum(PLAN_INTERVALS).optional(),
  period_type: z.enum(['monthly', 'yearly']).optional(),
  anchor_day: z.number().int().min(1).max(28).nullable().optional(),
  trial_days: z.number().int().min(0).max(365).optional(),
  is_active: z.boolean().optional(),
  /**
   * A limit named after a metric the plan charges caps its quantity per period, enforced when
   * usage is reported: `reject` (default) refuses a request that would pass it (403
   * plan_limit_reached, nothing stored), `flag` stores it and names the limits passed.
   */
  limits: planLimitsSchema.optional(),
  limit_mode: z.enum(['reject', 'flag']).optional(),
  charges: z.array(chargeInput).max(50).optional(),
  period_amount: z
    .union([z.number(), z.string()])
    .describe('integer minor units of the currency (4900 = 49.00 USD), as DjaoDjin writes it')
    .optional(),
};
/** Create: `code`|`slug`, `name`|`title`, `currency`|`unit` and `interval`|`period_type` required. */
export const providerPlanRequest = component('PlanCreate', z.object(planFields));
export type ProviderPlanRequest = z.infer<typeof providerPlanRequest>;
/** PUT and PATCH both take any subset; `charges`, when sent, replace the list. */
export const providerPlanUpdate = z.object(planFields);

const tierView = z.object({
  up_to: z.string().nullable(),
  unit_price: z.string(),
  flat_amount: z.string(),
});
export const chargeView = component(
  'Charge',
  z.object({
    kind: z.enum(['flat', 'per_seat', 'usage']),
    code: z.string(),
    name: z.string(),
    amount: z.string().optional(),
    unit_amount: z.string().optional(),
    metric: z.string().optional(),
    model: z.enum(PRICE_MODELS).optional(),
    unit_price: z.string().optional(),
    tiers: z.array(tierView).optional(),
    package_size: z.string().optional(),
    package_amount: z.string().optional(),
    free_units: z.string().optional(),
  }),
);

export const providerPlanView = component(
  'Plan',
  z.object({
    id: z.string(),
    provider: z.string(),
    code: z.string(),
    slug: z.string(),
    name: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    is_active: z.boolean(),
    limits: z.record(z.string(), z.number()),
    limit_mode: z.enum(['reject', 'flag']),
    version: z.number(),
    currency: z.string(),
    interval: z.enum(PLAN_INTERVALS),
    anchor_day: z.number().nullable(),
    trial_days: z.number(),
    charges: z.array(chargeView),
    created_at: z.string(),
    updated_at: z.string(),
  }),
);

/**
 * Spend control: what a subscription's usage charges may cost per period, in the plan's currency
 * ("50.00"); passing it is refused or flagged as the plan's `limit_mode` says. null removes it.
 */
const spendLimitInput = amountInputSchema.nullable();

/**
 * Seed 001 "Grants a subscription": `{"organization": {"slug": "xia"}}` as written, or a customer
 * of the provider. The platform provider takes organizations only.
 */
export const grantProviderSubscriptionRequest = component(
  'SubscriptionGrant',
  z
    .object({
      organization: z.object({ slug: z.string().trim().min(1).max(63) }).optional(),
      customer: z.object({ id: z.string().trim().min(1).max(200) }).optional(),
      seats: z.number().int().min(1).max(1_000_000).optional(),
      starts_at: z.iso.datetime({ offset: true }).optional(),
      ends_at: z.iso.datetime({ offset: true }).optional(),
      expires_at: z.iso.datetime({ offset: true }).optional(),
      trial_days: z.number().int().min(0).max(365).optional(),
      spend_limit: spendLimitInput.optional(),
    })
    .refine((b) => Boolean(b.organization) !== Boolean(b.customer), {
      message: 'name the subscriber: either organization {slug} or customer {id}',
      path: ['organization'],
    }),
);
export type GrantProviderSubscriptionRequest = z.infer<typeof grantProviderSubscriptionRequest>;

/** past_due: an invoice of the subscription is overdue (dunning, issue 17); still live. */
export const SUBSCRIPTION_STATUSES = ['trial', 'active', 'past_due', 'canceled', 'ended'] as const;

/**
 * Seed 001's subscription item, as the platform answers it, plus the engine's fields. A
 * customer subscriber has `customer` and no `organization`.
 */
export const providerSubscriptionView = component(
  'Subscription',
  profileSubscriptionView.extend({
    organization: profileSubscriptionView.shape.organization.nullable(),
    status: z.enum([
      ...profileSubscriptionView.shape.status.options,
      'past_due',
      'canceled',
      'ended',
    ]),
    id: z.string().optional(),
    customer: z.object({ id: z.string() }).nullable().optional(),
    seats: z.number().optional(),
    plan_version: z.number().optional(),
    trial_ends_at: z.string().nullable().optional(),
    current_period_start: z.string().optional(),
    current_period_end: z.string().optional(),
    cancel_at_period_end: z.boolean().optional(),
    canceled_at: z.string().nullable().optional(),
    /** Credit owed to the subscriber (a downgrade at once), used by its next invoices, or null. */
    credit_balance: z.string().nullable().optional(),
    /** What its usage charges may cost per period (spend control), or null. */
    spend_limit: z.string().nullable().optional(),
    /** A change that takes effect at the current period's end (a downgrade), or null. */
    pending_change: z
      .object({
        plan: z.object({ id: z.string(), slug: z.string() }),
        plan_version: z.number(),
        seats: z.number(),
        at: z.string(),
      })
      .nullable()
      .optional(),
  }),
);

/**
 * Moves a subscription to another plan of the provider and/or another number of seats. An
 * upgrade takes effect at once, its prorated difference invoiced now; a downgrade waits for the
 * period's end (charging nothing now). `at` overrides: a downgrade at once owes the unused days of
 * the fees paid in advance as a credit balance, which the subscription's next invoices use up.
 */
export const changeSubscriptionRequest = component(
  'SubscriptionChange',
  z
    .object({
      plan: z.string().trim().min(1).max(100).optional(),
      seats: z.number().int().min(1).max(1_000_000).optional(),
      at: z.enum(['now', 'period_end']).optional(),
      spend_limit: spendLimitInput.optional(),
    })
    .refine((b) => b.plan !== undefined || b.seats !== undefined || b.spend_limit !== undefined, {
      message: 'name the plan, the seats or the spend limit to change to',
      path: ['plan'],
    }),
);
export type ChangeSubscriptionRequest = z.infer<typeof changeSubscriptionRequest>;

export const cancelSubscriptionQuery = z.object({
  /** `now` ends the subscription at once; by default it ends at its period's end. */
  at: z.enum(['now', 'period_end']).optional(),
});
