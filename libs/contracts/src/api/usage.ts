import { z } from 'zod';
import { METRIC_AGGREGATIONS } from './providers';
import { component } from '../component';

/**
 * Metered usage (issue 18): a provider reports its subscribers' usage events in batches; they are
 * counted once per transaction id and provider, aggregated per subscription, metric and period,
 * and read back with the invoice they add up to so far.
 */

/** At most this many events in one request. */
export const MAX_USAGE_EVENTS = 1000;

export const usageEventInput = component(
  'UsageEvent',
  z
    .object({
      /** The client's id of the event: the provider's events are counted once per id. */
      transaction_id: z.string().min(1).max(128),
      /** An organization's profile slug or a customer id of one of the provider's subscribers. */
      subscriber: z.string().trim().min(1).max(200).optional(),
      /** Or the subscription itself (needed when a subscriber has two plans charging the metric). */
      subscription_id: z.string().trim().min(1).max(200).optional(),
      /** A billable metric code of the provider. */
      metric: z.string().trim().min(1).max(40),
      /** ISO 8601 with an offset; now when left out. */
      timestamp: z.iso.datetime({ offset: true }).optional(),
      properties: z.record(z.string(), z.unknown()).optional(),
    })
    .refine((e) => (e.subscriber === undefined) !== (e.subscription_id === undefined), {
      message: 'name either subscriber or subscription_id',
      path: ['subscriber'],
    }),
);
export type UsageEventInput = z.infer<typeof usageEventInput>;

export const usageEventsRequest = component(
  'UsageEvents',
  z.object({
    events: z.array(usageEventInput).min(1).max(MAX_USAGE_EVENTS),
  }),
);
export type UsageEventsRequest = z.infer<typeof usageEventsRequest>;

/** A plan limit on a metric that a request passes (or would pass), quantities in the metric's unit. */
export const usageOverage = z.object({
  subscription_id: z.string(),
  metric: z.string(),
  limit: z.string(),
  /** The period's quantity before the request. */
  used: z.string(),
  /** The period's quantity with the request (for max and latest metrics: the event's value). */
  requested: z.string(),
});

export const usageEventsAccepted = component(
  'UsageEventsAccepted',
  z.object({
    /** The events of the request (a transaction id already counted is accepted and not counted again). */
    accepted: z.number().int(),
    /** Plans whose `limit_mode` is `flag`: the limits this request passed (empty when none). */
    over_limit: z.array(usageOverage),
  }),
);

const usageLineView = z.object({
  charge_code: z.string(),
  description: z.string(),
  kind: z.enum(['flat', 'per_seat', 'usage', 'proration']),
  period_start: z.string(),
  period_end: z.string(),
  quantity: z.string(),
  unit_amount: z.string().optional(),
  amount: z.string(),
});

export const subscriptionUsageView = component(
  'SubscriptionUsage',
  z.object({
    subscription_id: z.string(),
    status: z.string(),
    plan: z.object({ id: z.string(), code: z.string(), version: z.number() }),
    currency: z.string(),
    period: z.object({ start: z.string(), end: z.string() }),
    /** One row per metric the plan version charges: its quantity so far in the current period. */
    usage: z.array(
      z.object({
        metric: z.string(),
        aggregation: z.enum(METRIC_AGGREGATIONS),
        /** Exact decimal in the metric's unit ("12.5"). */
        quantity: z.string(),
        /** Distinct events counted. */
        events: z.number().int(),
      }),
    ),
    /**
     * The plan's limits on metrics it charges, as decided at ingestion: what the period may still
     * take. `used` is what accepted requests reserved (count and sum), or the quantity so far.
     */
    limits: z.array(
      z.object({
        metric: z.string(),
        limit: z.string(),
        used: z.string(),
        remaining: z.string(),
        mode: z.enum(['reject', 'flag']),
      }),
    ),
    /**
     * The subscription's spend cap on its usage charges this period (null: none): `used` prices
     * what accepted requests reserved with the plan version's usage charges.
     */
    spend: z
      .object({
        limit: z.string(),
        used: z.string(),
        remaining: z.string(),
        mode: z.enum(['reject', 'flag']),
      })
      .nullable(),
    /**
     * The invoice the current period's end would issue with the usage counted so far: usage in
     * arrears, then the next period's fees in advance (none when the subscription ends there).
     */
    upcoming_invoice: z.object({
      lines: z.array(usageLineView),
      total: z.string(),
      currency: z.string(),
    }),
  }),
);
