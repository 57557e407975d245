import { formatMinor } from '@ledgerline/contracts';
import {
  QUANTITY_SCALE,
  formatQuantity,
  parseQuantity,
  priceUsage,
  type Aggregation,
  type Charge,
} from './pricing';
import type { BatchEvent } from './usage-batches';

/**
 * Plan limits on metered usage, decided at ingestion (issue 18, "limits and spend control in the
 * request path"). A plan's `limits` entry named after a metric its version charges caps that
 * metric's quantity per period, in the metric's unit. The pre-aggregates are folded by a consumer
 * a moment after a request is answered, so they cannot decide a limit (two requests would both
 * pass it): each request's quantities are reserved on an allowance document per subscription and
 * period, changed atomically, before the request is stored. Pure: the use case reads and writes.
 *
 * Which aggregations can be capped at ingestion:
 * - count and sum add up: the allowance keeps each metric's running quantity;
 * - max and latest are a single event's value: each event is checked on its own;
 * - unique_count would need the set of values seen: refused when the plan is written, and an
 *   event of such a metric under a limit is refused (a limit never fails open).
 */

export const LIMIT_MODES = ['reject', 'flag'] as const;
/** reject: a request that would pass a limit is refused whole; flag: it is stored and reported. */
export type LimitMode = (typeof LIMIT_MODES)[number];

export interface MetricLimit {
  metric: string;
  aggregation: Aggregation;
  /** The cap in millionths of the metric's unit; null: no cap, tracked for a spend cap only. */
  limit: bigint | null;
}

/** A plan's cap on one metric. */
export interface CappedLimit extends MetricLimit {
  limit: bigint;
}

type UsageCharge = Extract<Charge, { kind: 'usage' }>;

/**
 * Spend control: a cap on what a subscription's usage charges may cost per period, in the plan's
 * currency. The reserved quantities priced by the plan version's usage charges are what the period
 * costs so far; a request that would take that past the cap passes the limit. Quantities of max
 * and latest metrics are reserved as the highest value seen (latest may be lower at the period's
 * end: the cap then refuses early, never late).
 */
export interface SpendCap {
  limit_minor: number;
  currency: string;
  charges: readonly UsageCharge[];
}

/** The metric name a passed spend cap is reported under. */
export const SPEND_METRIC = 'spend';

/** What the usage charges cost at these reserved quantities, in minor units. */
export function spendOf(charges: readonly UsageCharge[], reserved: Readonly<Reserved>): number {
  let total = 0;
  for (const c of charges) {
    const quantity =
      reserved[c.metric] !== undefined ? parseQuantity(reserved[c.metric]!, c.metric) : 0n;
    total += priceUsage(c.model, quantity);
  }
  return total;
}

/**
 * The metrics tracked for a spend-capped subscription: every metric its usage charges name, each
 * with the plan's cap on it if any (`limitsOf`), else uncapped.
 */
export function spendTracked(
  capped: readonly MetricLimit[],
  charged: ReadonlyMap<string, Aggregation>,
): MetricLimit[] {
  const uncapped = [...charged]
    .filter(([metric]) => !capped.some((l) => l.metric === metric))
    .map(([metric, aggregation]) => ({ metric, aggregation, limit: null }));
  return [...capped, ...uncapped];
}

/** The limits that apply to a subscription: plan limits keyed by a metric its version charges. */
export function limitsOf(
  planLimits: Readonly<Record<string, number>>,
  charged: ReadonlyMap<string, Aggregation>,
): CappedLimit[] {
  return Object.entries(planLimits)
    .filter(([metric]) => charged.has(metric))
    .map(([metric, limit]) => ({
      metric,
      aggregation: charged.get(metric)!,
      limit: BigInt(limit) * QUANTITY_SCALE,
    }));
}

/** Whether a limit on a metric of this aggregation can be enforced at ingestion. */
export const enforceable = (aggregation: Aggregation) => aggregation !== 'unique_count';

/** The quantities reserved so far, per metric, as exact decimal text (stored as such). */
export type Reserved = Record<string, string>;

/** One limit a request passes (or would pass). */
export interface Overage {
  subscription_id: string;
  metric: string;
  /** The cap, the quantity before this request and the quantity with it, in the metric's unit. */
  limit: string;
  used: string;
  requested: string;
}

/** What one request adds to one subscription's allowance for one period. */
export interface AllowanceRequest {
  subscription_id: string;
  period_start: string;
  /** Per additive metric: the quantity this request adds. */
  adds: Map<string, bigint>;
  /** Events of max/latest metrics above their cap on their own (quantity = the event's value). */
  singles: { metric: string; value: bigint }[];
  /** For a spend cap: the highest value of each max/latest metric in the request. */
  peaks?: Map<string, bigint>;
  /** Events of unique_count metrics under a limit: refused whatever the mode. */
  unenforceable: string[];
}

/**
 * Groups the events under a limit by subscription and period, with what each group adds. Events
 * already counted (their transaction id has a marker) add nothing: they are duplicates.
 */
export function allowanceRequests(
  events: readonly BatchEvent[],
  limitsBySubscription: ReadonlyMap<string, readonly MetricLimit[]>,
  counted: ReadonlySet<string>,
  spendCapped: ReadonlySet<string> = new Set(),
): AllowanceRequest[] {
  const groups = new Map<string, AllowanceRequest>();
  for (const e of events) {
    const limit = limitsBySubscription.get(e.subscription_id)?.find((l) => l.metric === e.metric);
    if (!limit || counted.has(e.transaction_id)) continue;
    const key = `${e.subscription_id}\n${e.period_start}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        subscription_id: e.subscription_id,
        period_start: e.period_start,
        adds: new Map(),
        singles: [],
        unenforceable: [],
      };
      if (spendCapped.has(e.subscription_id)) group.peaks = new Map();
      groups.set(key, group);
    }
    if (!enforceable(limit.aggregation)) {
      if (!group.unenforceable.includes(e.metric)) group.unenforceable.push(e.metric);
    } else if (e.aggregation === 'count' || e.aggregation === 'sum') {
      const add = e.aggregation === 'count' ? QUANTITY_SCALE : parseQuantity(e.value!, 'value');
      group.adds.set(e.metric, (group.adds.get(e.metric) ?? 0n) + add);
    } else {
      const value = parseQuantity(e.value!, 'value');
      if (limit.limit !== null && value > limit.limit)
        group.singles.push({ metric: e.metric, value });
      const peak = group.peaks?.get(e.metric);
      if (group.peaks && (peak === undefined || value > peak)) group.peaks.set(e.metric, value);
    }
  }
  return [...groups.values()];
}

/**
 * The decision on one allowance: the quantities after the request, and the limits it passes.
 * `next` adds everything whether or not a limit is passed; the caller writes it only when the
 * mode lets the request through.
 */
export function decideAllowance(
  reserved: Readonly<Reserved>,
  request: AllowanceRequest,
  limits: readonly MetricLimit[],
  spend?: SpendCap,
): { next: Reserved; over: Overage[] } {
  const next: Reserved = { ...reserved };
  const over: Overage[] = [];
  const quantityOf = (metric: string) =>
    reserved[metric] !== undefined ? parseQuantity(reserved[metric], metric) : 0n;
  for (const [metric, add] of request.adds) {
    const used = quantityOf(metric);
    const after = used + add;
    next[metric] = formatQuantity(after);
    const limit = limits.find((l) => l.metric === metric)!.limit;
    if (limit !== null && after > limit)
      over.push(overage(request.subscription_id, metric, limit, used, after));
  }
  for (const single of request.singles) {
    const limit = limits.find((l) => l.metric === single.metric)!.limit!;
    if (!over.some((o) => o.metric === single.metric))
      over.push(overage(request.subscription_id, single.metric, limit, 0n, single.value));
  }
  for (const [metric, peak] of request.peaks ?? []) {
    if (peak > quantityOf(metric)) next[metric] = formatQuantity(peak);
  }
  if (spend) {
    const used = spendOf(spend.charges, reserved);
    const after = spendOf(spend.charges, next);
    if (after > spend.limit_minor && after > used)
      over.push({
        subscription_id: request.subscription_id,
        metric: SPEND_METRIC,
        limit: formatMinor(spend.limit_minor, spend.currency),
        used: formatMinor(used, spend.currency),
        requested: formatMinor(after, spend.currency),
      });
  }
  return { next, over };
}

/** The reservation taken back (a request refused elsewhere or not stored): never below zero. */
export function releaseAllowance(
  reserved: Readonly<Reserved>,
  request: AllowanceRequest,
): Reserved {
  const next: Reserved = { ...reserved };
  for (const [metric, add] of request.adds) {
    const used = reserved[metric] !== undefined ? parseQuantity(reserved[metric], metric) : 0n;
    next[metric] = formatQuantity(used > add ? used - add : 0n);
  }
  return next;
}

function overage(
  subscriptionId: string,
  metric: string,
  limit: bigint,
  used: bigint,
  requested: bigint,
): Overage {
  return {
    subscription_id: subscriptionId,
    metric,
    limit: formatQuantity(limit),
    used: formatQuantity(used),
    requested: formatQuantity(requested),
  };
}
