import {
  AppError,
  buildEvent,
  type ErrorDetail,
  type UsageEventsRequest,
} from '@ledgerline/contracts';
import { newId } from '@ledgerline/platform';
import { eventValue, formatQuantity, PricingInputError, type Metric } from '../domain/pricing';
import { metricsOf } from '../domain/provider-plan';
import {
  eventPeriod,
  firstOfEachTransaction,
  periodWindow,
  type BatchEvent,
  type PeriodWindow,
} from '../domain/usage-batches';
import { clockOf } from '../domain/renewals';
import type { BillableMetric, PlanVersion } from '../store/provider-plans';
import { LIVE_STATUSES, type Subscription } from '../store/subscriptions';
import type { Caller, TenantsDeps } from './deps';
import { planVersionOf } from './plan-versions';
import { reserveAllowances } from './usage-limits';
import type { Overage } from '../domain/usage-limits';

/** How far ahead of the server's clock an event's timestamp may be (clients' clocks drift). */
export const USAGE_FUTURE_SECONDS = 300;
/** At most this many problems are listed in a refusal (a batch may have 1,000). */
const MAX_DETAILS = 100;

type Event = UsageEventsRequest['events'][number];

/** The subscriptions, plan versions and metrics a request names, each read once. */
interface Resolved {
  metrics: Map<string, BillableMetric>;
  byId: Map<string, Subscription>;
  bySubscriber: Map<string, Subscription[]>;
  /** Every subscription the request may name, by id. */
  subscriptions: Map<string, Subscription>;
  versions: Map<string, PlanVersion | undefined>;
  /** Each subscription's clock and the periods its events may count in, worked out once. */
  clocks: Map<string, { clock: Clock; window: PeriodWindow }>;
}

type Clock = { started_at: Date; trial_ends_at: Date | null; ends_at: Date | null };

function clockAndWindowOf(r: Resolved, sub: Subscription, version: PlanVersion, now: Date) {
  let known = r.clocks.get(sub._id);
  if (!known) {
    const clock: Clock = clockOf(sub);
    known = { clock, window: periodWindow(clock, version, now) };
    r.clocks.set(sub._id, known);
  }
  return known;
}

async function resolve(deps: TenantsDeps, tenantId: string, events: Event[]): Promise<Resolved> {
  const unique = (values: (string | undefined)[]) => [
    ...new Set(values.filter((v): v is string => v !== undefined)),
  ];
  const [metrics, owned, live] = await Promise.all([
    deps.providerPlans.metricsByCode(tenantId, unique(events.map((e) => e.metric))),
    deps.subscriptions.findOwned(tenantId, unique(events.map((e) => e.subscription_id))),
    deps.subscriptions.liveOfSubscribers(tenantId, unique(events.map((e) => e.subscriber))),
  ]);
  const bySubscriber = new Map<string, Subscription[]>();
  for (const s of live) {
    const names =
      s.subscriber.kind === 'organization' ? [s.subscriber.slug] : [s.subscriber.customer_id];
    for (const name of names) bySubscriber.set(name, [...(bySubscriber.get(name) ?? []), s]);
  }
  const versions = new Map<string, PlanVersion | undefined>();
  const subs = [...new Map([...owned, ...live].map((s) => [s._id, s])).values()];
  const found = await Promise.all(
    subs.map((s) => planVersionOf(deps, tenantId, s.plan_id, s.plan_version)),
  );
  subs.forEach((s, i) => versions.set(s._id, found[i]));
  return {
    metrics: new Map(metrics.map((m) => [m.code, m])),
    byId: new Map(owned.map((s) => [s._id, s])),
    bySubscriber,
    subscriptions: new Map(subs.map((s) => [s._id, s])),
    versions,
    clocks: new Map(),
  };
}

const charges = (r: Resolved, s: Subscription, metric: string) => {
  const version = r.versions.get(s._id);
  return version !== undefined && metricsOf(version).includes(metric);
};

/** The subscription an event counts for, or the detail that refuses it. */
function subscriptionOf(
  r: Resolved,
  e: Event,
  at: string,
): { sub: Subscription } | { refused: ErrorDetail } {
  if (e.subscription_id !== undefined) {
    const s = r.byId.get(e.subscription_id);
    if (!s)
      return {
        refused: { field: `${at}.subscription_id`, message: 'is not a subscription of yours' },
      };
    if (!LIVE_STATUSES.includes(s.status))
      return {
        refused: { field: `${at}.subscription_id`, message: `is ${s.status}, not trial or active` },
      };
    if (!charges(r, s, e.metric))
      return {
        refused: { field: `${at}.metric`, message: "is not charged by the subscription's plan" },
      };
    return { sub: s };
  }
  const name = e.subscriber!;
  const live = [
    ...(r.bySubscriber.get(name) ?? []),
    ...(r.bySubscriber.get(name.toLowerCase()) ?? []),
  ];
  const candidates = [...new Set(live)].filter((s) => charges(r, s, e.metric));
  if (candidates.length === 1) return { sub: candidates[0]! };
  return {
    refused: {
      field: `${at}.subscriber`,
      message:
        candidates.length === 0
          ? `has no trial or active subscription to a plan of yours charging ${e.metric}`
          : `has ${candidates.length} live subscriptions charging ${e.metric}: send subscription_id`,
    },
  };
}

/** The event as the batch stores it, or the details that refuse it. */
function resolveEvent(
  r: Resolved,
  e: Event,
  i: number,
  now: Date,
  latenessSeconds: number,
): BatchEvent | ErrorDetail[] {
  const at = `events.${i}`;
  const timestamp = e.timestamp ? new Date(e.timestamp) : now;
  const ageSeconds = (now.getTime() - timestamp.getTime()) / 1000;
  if (ageSeconds > latenessSeconds)
    return [{ field: `${at}.timestamp`, message: `is more than ${latenessSeconds} s in the past` }];
  if (-ageSeconds > USAGE_FUTURE_SECONDS)
    return [
      { field: `${at}.timestamp`, message: `is more than ${USAGE_FUTURE_SECONDS} s in the future` },
    ];
  const stored = r.metrics.get(e.metric);
  if (!stored) return [{ field: `${at}.metric`, message: 'is not a billable metric of yours' }];
  const metric: Metric = {
    code: stored.code,
    aggregation: stored.aggregation,
    ...(stored.field && { field: stored.field }),
  };
  let value: bigint | string | null;
  try {
    value = eventValue(metric, {
      transaction_id: e.transaction_id,
      timestamp,
      properties: e.properties ?? {},
    });
  } catch (err) {
    if (!(err instanceof PricingInputError)) throw err;
    return [{ field: `${at}.${err.field}`, message: err.details?.[0]?.message ?? err.message }];
  }
  const found = subscriptionOf(r, e, at);
  if ('refused' in found) return [found.refused];
  const sub = found.sub;
  const version = r.versions.get(sub._id)!;
  const { clock, window } = clockAndWindowOf(r, sub, version, now);
  const placed = eventPeriod(clock, version, timestamp, now, window);
  if ('refused' in placed) return [{ field: `${at}.timestamp`, message: placed.refused }];
  return {
    transaction_id: e.transaction_id,
    subscription_id: sub._id,
    metric: stored.code,
    aggregation: stored.aggregation,
    timestamp: timestamp.toISOString(),
    value: typeof value === 'bigint' ? formatQuantity(value) : value,
    period_start: placed.period.start.toISOString(),
  };
}

/**
 * POST /api/usage/events: every event is checked against the provider's metrics and live
 * subscriptions (a handful of reads per request, not per event); one invalid event refuses the
 * whole batch (422, nothing stored). Of events repeating a transaction id within the request
 * the first counts; across requests the usage consumer counts each id once. The accepted events
 * are stored as one document born with one UsageBatchRecorded.
 */
export async function ingestUsageEvents(
  deps: TenantsDeps,
  caller: Caller,
  body: UsageEventsRequest,
  now = new Date(),
): Promise<{ accepted: number; over_limit: Overage[] }> {
  const r = await resolve(deps, caller.tenantId, body.events);
  const details: ErrorDetail[] = [];
  const resolved: BatchEvent[] = [];
  body.events.forEach((e, i) => {
    const out = resolveEvent(r, e, i, now, deps.usageLatenessSeconds);
    if (Array.isArray(out)) details.push(...out);
    else resolved.push(out);
  });
  if (details.length > 0)
    throw AppError.validation(
      `${details.length} problem${details.length > 1 ? 's' : ''} in the events; none was recorded`,
      details.slice(0, MAX_DETAILS),
    );
  const kept = firstOfEachTransaction(resolved).map((i) => resolved[i]!);
  // limits are decided here, on the allowances, before anything is stored (usage-limits.ts)
  const reservation = await reserveAllowances(
    deps,
    caller.tenantId,
    kept,
    new Map(kept.map((e) => [e.subscription_id, r.subscriptions.get(e.subscription_id)!])),
    r.versions,
  );
  const id = newId('ub');
  const event = buildEvent('UsageBatchRecorded', {
    tenant_id: caller.tenantId,
    correlation_id: caller.correlationId,
    data: {
      tenant_id: caller.tenantId,
      batch_id: id,
      events: kept.length,
      received_at: now.toISOString(),
    },
    now,
  });
  try {
    // announced as unfolded first: a renewal then waits for the batch until the consumer folds
    // it (one left by a crash before the batch's insert names a batch that is not there: dropped)
    await deps.meteredUsage.unfolded.add({
      _id: id,
      tenant_id: caller.tenantId,
      subscription_ids: [...new Set(kept.map((e) => e.subscription_id))],
      received_at: now,
    });
    await deps.meteredUsage.insertBatch(
      {
        _id: id,
        tenant_id: caller.tenantId,
        received_at: now,
        events: kept,
        created_by: caller.userId,
        updated_by: caller.userId,
      },
      [event],
    );
  } catch (err) {
    // not stored: what it reserved is given back (if this fails too, the allowance stays high)
    await reservation.release().catch(() => undefined);
    await deps.meteredUsage.unfolded.remove([id]).catch(() => undefined);
    throw err;
  }
  deps.publishSoon([id], {
    collection: deps.meteredUsage.batchModel.collection.name,
    outboxes: new Map([[id, [event]]]),
  });
  return { accepted: body.events.length, over_limit: reservation.over };
}
