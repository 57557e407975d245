import { PricingInputError } from './errors';
import { QUANTITY_SCALE, parseQuantity, type Quantity } from './units';

export type Aggregation = 'count' | 'sum' | 'max' | 'unique_count' | 'latest';
export const AGGREGATIONS: readonly Aggregation[] = [
  'count',
  'sum',
  'max',
  'unique_count',
  'latest',
];

/** A billable metric: how a subscription's events of one code become a quantity. */
export interface Metric {
  code: string;
  aggregation: Aggregation;
  /** The event property aggregated; required except for `count`. */
  field?: string;
}

export interface UsageEvent {
  transaction_id: string;
  timestamp: Date;
  properties: Record<string, unknown>;
}

/**
 * A pre-aggregate of one metric's events, JSON-storable (bigints as decimal strings of
 * Quantity units, timestamps ISO 8601). One shape per aggregation.
 */
export type CountState = { count: string };
export type SumState = { sum: string };
export type MaxState = { max: string | null };
/** Distinct values, sorted by code unit and unique, so equal sets store identically. */
export type UniqueCountState = { values: string[] };
export type LatestState = { value: string | null; at: string | null; tx: string | null };
export type UsageState = CountState | SumState | MaxState | UniqueCountState | LatestState;

/** Throws a PricingInputError when `metric` cannot aggregate anything. */
export function validateMetric(metric: Metric): void {
  if (typeof metric?.code !== 'string' || metric.code === '') {
    throw new PricingInputError('metric.code', 'must be a non-empty string');
  }
  if (!AGGREGATIONS.includes(metric.aggregation)) {
    throw new PricingInputError('metric.aggregation', `must be one of ${AGGREGATIONS.join(', ')}`);
  }
  if (metric.aggregation !== 'count' && (typeof metric.field !== 'string' || metric.field === '')) {
    throw new PricingInputError('metric.field', `is required for a ${metric.aggregation} metric`);
  }
}

export function emptyUsage(metric: Metric): UsageState {
  validateMetric(metric);
  switch (metric.aggregation) {
    case 'count':
      return { count: '0' };
    case 'sum':
      return { sum: '0' };
    case 'max':
      return { max: null };
    case 'unique_count':
      return { values: [] };
    case 'latest':
      return { value: null, at: null, tx: null };
  }
}

function propertyOf(metric: Metric, event: UsageEvent): { value: unknown; field: string } {
  const field = `properties.${metric.field}`;
  const properties = event.properties ?? {};
  if (!Object.prototype.hasOwnProperty.call(properties, metric.field!)) {
    throw new PricingInputError(field, `is required by metric ${metric.code}`);
  }
  return { value: properties[metric.field!], field };
}

function quantityProperty(metric: Metric, event: UsageEvent, allowNegative: boolean): Quantity {
  const { value, field } = propertyOf(metric, event);
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new PricingInputError(field, 'must be a decimal number such as "12.5"');
  }
  return parseQuantity(value, field, allowNegative);
}

/**
 * What one event contributes to its metric: nothing to read for `count` (null), a Quantity for
 * `sum` (negative allowed: corrections), `max` and `latest`, the stringified value for
 * `unique_count`. A missing or invalid field throws PricingInputError (the ingest route's 422).
 */
export function eventValue(metric: Metric, event: UsageEvent): bigint | string | null {
  validateMetric(metric);
  switch (metric.aggregation) {
    case 'count':
      return null;
    case 'sum':
      return quantityProperty(metric, event, true);
    case 'max':
    case 'latest':
      return quantityProperty(metric, event, false);
    case 'unique_count': {
      const { value, field } = propertyOf(metric, event);
      const scalar =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
      if (!scalar || value === '') {
        throw new PricingInputError(field, 'must be a non-empty string, a number or a boolean');
      }
      return String(value);
    }
  }
}

function timestampOf(event: UsageEvent): number {
  const ms = event.timestamp instanceof Date ? event.timestamp.getTime() : NaN;
  if (Number.isNaN(ms)) throw new PricingInputError('timestamp', 'must be a valid date');
  return ms;
}

/**
 * Whether the reading (at, tx) is later than the state's: the greater timestamp wins, a tie goes
 * to the greater transaction_id, so the result never depends on the order events arrive in.
 */
function isLater(at: number, tx: string, state: LatestState): boolean {
  if (state.at === null || state.tx === null) return true;
  const stateAt = Date.parse(state.at);
  return at > stateAt || (at === stateAt && tx > state.tx);
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const maxOf = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : BigInt(a) >= BigInt(b) ? a : b;

const INTEGER = /^-?\d+$/;
const isInteger = (v: unknown): boolean => typeof v === 'string' && INTEGER.test(v);
const isIntegerOrNull = (v: unknown): boolean => v === null || isInteger(v);

/**
 * States come back from storage: a shape that does not belong to the metric's aggregation (a
 * metric whose aggregation was changed, a hand-edited document) is refused by name instead of
 * surfacing as a TypeError from BigInt.
 */
function assertState(metric: Metric, state: UsageState, field = 'usage_state'): void {
  const s = (state ?? {}) as Record<string, unknown>;
  const ok = {
    count: () => isInteger(s.count),
    sum: () => isInteger(s.sum),
    max: () => isIntegerOrNull(s.max),
    unique_count: () => Array.isArray(s.values) && s.values.every((v) => typeof v === 'string'),
    latest: () =>
      isIntegerOrNull(s.value) &&
      (s.at === null || (typeof s.at === 'string' && !Number.isNaN(Date.parse(s.at)))) &&
      (s.tx === null || typeof s.tx === 'string'),
  }[metric.aggregation]();
  if (!ok) throw new PricingInputError(field, `is not a ${metric.aggregation} usage state`);
}

/**
 * The state after `events`, without changing `state`. Duplicates are removed upstream by
 * transaction_id; this function counts what it is given.
 */
export function addUsage(state: UsageState, metric: Metric, events: UsageEvent[]): UsageState {
  validateMetric(metric);
  assertState(metric, state);
  switch (metric.aggregation) {
    case 'count':
      return { count: (BigInt((state as CountState).count) + BigInt(events.length)).toString() };
    case 'sum': {
      let sum = BigInt((state as SumState).sum);
      for (const event of events) sum += eventValue(metric, event) as bigint;
      return { sum: sum.toString() };
    }
    case 'max': {
      let max = (state as MaxState).max;
      for (const event of events)
        max = maxOf(max, (eventValue(metric, event) as bigint).toString());
      return { max };
    }
    case 'unique_count': {
      const values = (state as UniqueCountState).values.slice();
      for (const event of events) values.push(eventValue(metric, event) as string);
      return { values: sortedUnique(values) };
    }
    case 'latest': {
      let latest = { ...(state as LatestState) };
      for (const event of events) {
        const value = eventValue(metric, event) as bigint;
        const at = timestampOf(event);
        if (isLater(at, event.transaction_id, latest)) {
          latest = {
            value: value.toString(),
            at: new Date(at).toISOString(),
            tx: event.transaction_id,
          };
        }
      }
      return latest;
    }
  }
}

/** The state of the union of two disjoint event sets; commutative and associative. */
export function mergeUsage(metric: Metric, a: UsageState, b: UsageState): UsageState {
  validateMetric(metric);
  assertState(metric, a);
  assertState(metric, b);
  switch (metric.aggregation) {
    case 'count':
      return {
        count: (BigInt((a as CountState).count) + BigInt((b as CountState).count)).toString(),
      };
    case 'sum':
      return { sum: (BigInt((a as SumState).sum) + BigInt((b as SumState).sum)).toString() };
    case 'max':
      return { max: maxOf((a as MaxState).max, (b as MaxState).max) };
    case 'unique_count':
      return {
        values: sortedUnique([
          ...(a as UniqueCountState).values,
          ...(b as UniqueCountState).values,
        ]),
      };
    case 'latest': {
      const second = b as LatestState;
      if (second.at === null || second.tx === null) return { ...(a as LatestState) };
      return isLater(Date.parse(second.at), second.tx, a as LatestState)
        ? { ...second }
        : { ...(a as LatestState) };
    }
  }
}

/** The billable quantity of a state, in Quantity units (an empty max or latest is 0). */
export function usageQuantity(metric: Metric, state: UsageState): Quantity {
  validateMetric(metric);
  assertState(metric, state);
  switch (metric.aggregation) {
    case 'count':
      return BigInt((state as CountState).count) * QUANTITY_SCALE;
    case 'sum':
      return BigInt((state as SumState).sum);
    case 'max':
      return BigInt((state as MaxState).max ?? 0);
    case 'unique_count':
      return BigInt((state as UniqueCountState).values.length) * QUANTITY_SCALE;
    case 'latest':
      return BigInt((state as LatestState).value ?? 0);
  }
}
