import {
  addUsage,
  emptyUsage,
  type Aggregation,
  type Metric,
  type Period,
  type UsageState,
} from './pricing';
import { fullPeriodAt, type PlanTerms, type SubscriptionClock } from './renewals';

/**
 * Metered usage (issue 18), pure: which period an event counts in, which events of a request and
 * of a consumer's batches count (once per transaction id), and how they fold into the
 * pre-aggregate of one subscription, metric and period.
 */

/** Of the batch ids a pre-aggregate has applied, the newest this many are kept (see foldContributions). */
export const APPLIED_BATCHES_KEPT = 200;

/** One resolved event as a batch stores it: `value` is what eventValue read, as decimal text. */
export interface BatchEvent {
  transaction_id: string;
  subscription_id: string;
  metric: string;
  aggregation: Aggregation;
  timestamp: string;
  /** null for count; "12.5" for sum, max and latest; the value's text for unique_count. */
  value: string | null;
  period_start: string;
}

export interface StoredBatch {
  _id: string;
  tenant_id: string;
  events: BatchEvent[];
}

export const markerId = (tenantId: string, transactionId: string) => `${tenantId}:${transactionId}`;
export const totalsId = (subscriptionId: string, metric: string, periodStart: string) =>
  `${subscriptionId}:${metric}:${periodStart}`;

/** The metric as the arithmetic reads a stored value: batches keep it under `value`. */
export function storedValueMetric(code: string, aggregation: Aggregation): Metric {
  return { code, aggregation, ...(aggregation !== 'count' && { field: 'value' }) };
}

type Clock = Pick<SubscriptionClock, 'started_at' | 'trial_ends_at' | 'ends_at'>;
type Cycle = Pick<PlanTerms, 'interval' | 'anchor_day'>;

/**
 * The period of the subscription that holds `at` (null before its start or from its fixed end
 * on), by the renewal arithmetic: the trial is its own period, paid periods count from the
 * trial's end (or the start), off the anchor day when the plan has one.
 */
export function periodOf(clock: Clock, cycle: Cycle, at: Date): Period | null {
  const ms = at.getTime();
  if (ms < clock.started_at.getTime()) return null;
  if (clock.ends_at && ms >= clock.ends_at.getTime()) return null;
  const trialEnd = clock.trial_ends_at;
  if (trialEnd && ms < trialEnd.getTime()) return { start: clock.started_at, end: trialEnd };
  const paidFrom = trialEnd ?? clock.started_at;
  const full = fullPeriodAt(clock, cycle, at);
  const start = full.start.getTime() < paidFrom.getTime() ? paidFrom : full.start;
  return { start: new Date(start.getTime()), end: full.end };
}

/** The period running at `now`, or the last one when the subscription's fixed end has passed. */
export function currentPeriod(clock: Clock, cycle: Cycle, now: Date): Period | null {
  const endsAt = clock.ends_at?.getTime();
  const at = endsAt !== undefined && now.getTime() >= endsAt ? new Date(endsAt - 1) : now;
  return periodOf(clock, cycle, at);
}

/** The periods an event may count in at `now`: the current one and the one just before it. */
export interface PeriodWindow {
  current: Period | null;
  previous: Period | null;
}

export function periodWindow(clock: Clock, cycle: Cycle, now: Date): PeriodWindow {
  const current = currentPeriod(clock, cycle, now);
  const previous = current && periodOf(clock, cycle, new Date(current.start.getTime() - 1));
  return { current, previous };
}

/**
 * The period an event at `at` counts in: the current one, or the one just before it (a late
 * event; the caller has checked the lateness); anything else is the reason it is refused.
 * `window` is periodWindow's answer for the request (computed once per subscription).
 */
export function eventPeriod(
  clock: Clock,
  cycle: Cycle,
  at: Date,
  now: Date,
  window: PeriodWindow = periodWindow(clock, cycle, now),
): { period: Period } | { refused: string } {
  const period = periodOf(clock, cycle, at);
  if (!period)
    return { refused: 'is outside the subscription (before its start or after its end)' };
  if (!window.current) return { refused: 'is before the subscription has started' };
  if (period.start.getTime() === window.current.start.getTime()) return { period };
  if (window.previous && period.start.getTime() === window.previous.start.getTime())
    return { period };
  return { refused: 'is in neither the current period nor the one just before it' };
}

/** The positions of a request's events that count: the first of each transaction id. */
export function firstOfEachTransaction(events: readonly { transaction_id: string }[]): number[] {
  const seen = new Set<string>();
  const kept: number[] = [];
  events.forEach((e, i) => {
    if (seen.has(e.transaction_id)) return;
    seen.add(e.transaction_id);
    kept.push(i);
  });
  return kept;
}

/** The marker of one event: its id (provider and transaction id) and the batch it came in. */
export interface EventMarker {
  _id: string;
  batch_id: string;
  event: BatchEvent;
  tenant_id: string;
}

/**
 * The markers a fetch's batches insert: the first of each id only (the insert's parallel chunks
 * must not hold one id twice); a later event of the same id in the fetch is the duplicate of the
 * first, whose batch `later` names.
 */
export function fetchMarkers(batches: readonly StoredBatch[]): {
  firsts: EventMarker[];
  later: Map<string, string>;
} {
  const firsts = new Map<string, EventMarker>();
  const later = new Map<string, string>();
  for (const batch of batches)
    for (const event of batch.events) {
      const id = markerId(batch.tenant_id, event.transaction_id);
      const first = firsts.get(id);
      if (first) later.set(id, first.batch_id);
      else firsts.set(id, { _id: id, batch_id: batch._id, event, tenant_id: batch.tenant_id });
    }
  return { firsts: [...firsts.values()], later };
}

/**
 * Which batch holds each marker that is not simply new: a refused one's stored batch (`stored`;
 * '' when it has vanished since, its tenant deleted: it counts for nobody), else, for an id
 * repeated within the fetch, the fetch's first.
 */
export function markerOwners(
  refused: readonly string[],
  stored: ReadonlyMap<string, string>,
  later: ReadonlyMap<string, string>,
): Map<string, string> {
  const owners = new Map<string, string>();
  for (const id of refused) owners.set(id, stored.get(id) ?? '');
  for (const [id, batch] of later) if (!owners.has(id)) owners.set(id, batch);
  return owners;
}

/**
 * The events of `batches` that count, after their markers' insert: an event whose marker was
 * inserted now, or whose marker was refused but is held by its own batch (the batch was handled
 * before, up to a crash before its totals were all written). A marker held by another batch is a
 * real duplicate. `refusedOwners`: the refused markers' ids and the batch each is stored with.
 */
export function countedEvents(
  batches: readonly StoredBatch[],
  refusedOwners: ReadonlyMap<string, string>,
): { batchId: string; tenantId: string; event: BatchEvent }[] {
  const counted: { batchId: string; tenantId: string; event: BatchEvent }[] = [];
  for (const batch of batches)
    for (const event of batch.events) {
      const id = markerId(batch.tenant_id, event.transaction_id);
      if (refusedOwners.has(id) && refusedOwners.get(id) !== batch._id) continue;
      counted.push({ batchId: batch._id, tenantId: batch.tenant_id, event });
    }
  return counted;
}

/** What counted events add to one pre-aggregate, by batch (each batch applied at most once). */
export interface TotalsGroup {
  id: string;
  tenant_id: string;
  subscription_id: string;
  metric: string;
  period_start: string;
  aggregation: Aggregation;
  byBatch: Map<string, BatchEvent[]>;
}

export function groupContributions(counted: ReturnType<typeof countedEvents>): TotalsGroup[] {
  const groups = new Map<string, TotalsGroup>();
  for (const { batchId, tenantId, event } of counted) {
    const id = totalsId(event.subscription_id, event.metric, event.period_start);
    let group = groups.get(id);
    if (!group) {
      group = {
        id,
        tenant_id: tenantId,
        subscription_id: event.subscription_id,
        metric: event.metric,
        period_start: event.period_start,
        aggregation: event.aggregation,
        byBatch: new Map(),
      };
      groups.set(id, group);
    }
    const list = group.byBatch.get(batchId);
    if (list) list.push(event);
    else group.byBatch.set(batchId, [event]);
  }
  return [...groups.values()];
}

/** The stored pre-aggregate's part that folding reads and writes. */
export interface Totals {
  aggregation: Aggregation;
  state: UsageState;
  events: number;
  skipped_events?: number;
  applied_batches: string[];
}

export function emptyTotals(aggregation: Aggregation): Totals {
  return {
    aggregation,
    state: emptyUsage(storedValueMetric('usage', aggregation)),
    events: 0,
    skipped_events: 0,
    applied_batches: [],
  };
}

/**
 * The pre-aggregate after the group's batches it has not applied yet; undefined when it has
 * applied them all (a redelivery). Only the newest APPLIED_BATCHES_KEPT batch ids are kept: a
 * batch comes again only when the consumer redelivers offsets it had not committed (committed
 * every second), so a replayed batch is among the last few a pre-aggregate applied, far fewer
 * than 200 (one subscription would need 200 batches in the second before a crash). Events of an
 * aggregation other than the pre-aggregate's (the metric's aggregation changed within the
 * period) cannot be folded into its state: they are counted in `skipped_events`.
 */
export function foldContributions(current: Totals, group: TotalsGroup): Totals | undefined {
  const fresh = [...group.byBatch].filter(([id]) => !current.applied_batches.includes(id));
  if (fresh.length === 0) return undefined;
  const metric = storedValueMetric(group.metric, current.aggregation);
  let { state, events } = current;
  let skipped = current.skipped_events ?? 0;
  for (const [, list] of fresh) {
    const same = list.filter((e) => e.aggregation === current.aggregation);
    skipped += list.length - same.length;
    state = addUsage(
      state,
      metric,
      same.map((e) => ({
        transaction_id: e.transaction_id,
        timestamp: new Date(e.timestamp),
        properties: { value: e.value },
      })),
    );
    events += same.length;
  }
  return {
    aggregation: current.aggregation,
    state,
    events,
    skipped_events: skipped,
    applied_batches: [...current.applied_batches, ...fresh.map(([id]) => id)].slice(
      -APPLIED_BATCHES_KEPT,
    ),
  };
}
