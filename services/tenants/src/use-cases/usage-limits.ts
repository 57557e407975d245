import { AppError, formatMinor, type ErrorDetail } from '@ledgerline/contracts';
import { formatQuantity, parseQuantity, usageQuantity, type Aggregation } from '../domain/pricing';
import { metricsOf } from '../domain/provider-plan';
import {
  allowanceRequests,
  decideAllowance,
  enforceable,
  limitsOf,
  releaseAllowance,
  spendOf,
  spendTracked,
  type AllowanceRequest,
  type SpendCap,
  type LimitMode,
  type MetricLimit,
  type Overage,
} from '../domain/usage-limits';
import { storedValueMetric, totalsId, type BatchEvent } from '../domain/usage-batches';
import type { PlanVersion } from '../store/provider-plans';
import type { UsageAllowance } from '../store/metered-usage';
import type { Subscription } from '../store/subscriptions';
import { spendCapOf } from './spend-caps';
import type { TenantsDeps } from './deps';

/**
 * Plan limits on metered usage, decided when usage is reported (domain/usage-limits.ts says why
 * not on the pre-aggregates). A request's quantities under a limit are reserved on one allowance
 * per subscription and period, through the aggregate primitive (one decision on current data per
 * document), before the request is stored; a refused or unstored request gives its reservations
 * back. What can go wrong leaves the allowance too high, never too low, so a limit refuses early
 * rather than letting usage past it:
 * - a process dying between the reservation and the batch's insert keeps the reservation;
 * - an event resent before the usage consumer has counted its first copy (about a second) is
 *   reserved twice (afterwards its marker says it is counted, and it adds nothing);
 * The one way in which it can be low: an allowance is born with the quantities the pre-aggregates
 * hold, so when a limit is added to a plan mid-period, events stored but not yet folded at that
 * moment (the consumer's lag, about a second) are not in it.
 */

type Deps = Pick<TenantsDeps, 'meteredUsage' | 'providerPlans' | 'aggregates'>;

export interface Reservation {
  /** Limits passed by a request of a `flag` plan (stored anyway). */
  over: Overage[];
  /** Gives the reservations back: the request was not stored. */
  release(): Promise<void>;
}

const NOTHING: Reservation = { over: [], release: async () => undefined };
const allowanceId = (subscriptionId: string, periodStart: string) =>
  `${subscriptionId}:${periodStart}`;

/**
 * Reserves what the request's events add under their subscriptions' plan limits; refuses it with
 * 403 plan_limit_reached when a `reject` plan's limit would be passed (nothing reserved then).
 */
export async function reserveAllowances(
  deps: Deps,
  tenantId: string,
  events: readonly BatchEvent[],
  subscriptions: ReadonlyMap<string, Subscription>,
  versions: ReadonlyMap<string, PlanVersion | undefined>,
): Promise<Reservation> {
  const planIds = [...new Set([...subscriptions.values()].map((s) => s.plan_id))];
  const plans = await deps.providerPlans.limitsOfPlans(tenantId, planIds);
  const limitsBySubscription = new Map<string, MetricLimit[]>();
  const spendCaps = new Map<string, SpendCap>();
  const modeOf = new Map<string, LimitMode>();
  const aggregations = new Map(events.map((e) => [e.metric, e.aggregation] as const));
  for (const sub of subscriptions.values()) {
    const plan = plans.get(sub.plan_id);
    const version = versions.get(sub._id);
    const spendLimit = sub.spend_limit?.amount_minor ?? null;
    if (!plan || !version || (Object.keys(plan.limits).length === 0 && spendLimit === null))
      continue;
    const charged = new Map<string, Aggregation>(
      metricsOf(version).flatMap((m) => (aggregations.has(m) ? [[m, aggregations.get(m)!]] : [])),
    );
    let limits: MetricLimit[] = limitsOf(plan.limits, charged);
    if (spendLimit !== null) {
      limits = spendTracked(limits, charged);
      spendCaps.set(sub._id, spendCapOf(version, spendLimit));
    }
    if (limits.length === 0) continue;
    limitsBySubscription.set(sub._id, limits);
    modeOf.set(sub._id, plan.limit_mode);
  }
  if (limitsBySubscription.size === 0) return NOTHING;

  const limited = events.filter((e) =>
    limitsBySubscription.get(e.subscription_id)?.some((l) => l.metric === e.metric),
  );
  const counted = await deps.meteredUsage.countedTransactions(
    tenantId,
    limited.map((e) => e.transaction_id),
  );
  const requests = allowanceRequests(
    limited,
    limitsBySubscription,
    counted,
    new Set(spendCaps.keys()),
  );
  const unenforceable = requests.flatMap((r) => r.unenforceable);
  if (unenforceable.length > 0)
    throw AppError.validation(
      'A plan limit on these metrics cannot be enforced',
      [...new Set(unenforceable)].map((m) => ({
        field: 'events',
        message: `${m} is a unique_count metric under a plan limit`,
      })),
    );

  const outcomes = await Promise.all(
    requests.map((r) =>
      reserve(
        deps,
        tenantId,
        r,
        limitsBySubscription.get(r.subscription_id)!,
        modeOf.get(r.subscription_id)!,
        spendCaps.get(r.subscription_id),
      ),
    ),
  );
  const taken = outcomes.flatMap((o, i) => (o.reserved ? [requests[i]!] : []));
  const release = () => releaseAll(deps, tenantId, taken);
  const refused = outcomes.flatMap((o) => (o.reserved ? [] : o.over));
  if (refused.length > 0) {
    await release();
    throw limitReached(refused);
  }
  return { over: outcomes.flatMap((o) => o.over), release };
}

async function reserve(
  deps: Deps,
  tenantId: string,
  request: AllowanceRequest,
  limits: readonly MetricLimit[],
  mode: LimitMode,
  spend: SpendCap | undefined,
): Promise<{ reserved: boolean; over: Overage[] }> {
  const id = allowanceId(request.subscription_id, request.period_start);
  let over: Overage[] = [];
  let reserved = false;
  let untracked = false;
  await deps.aggregates.changeOrInsert<UsageAllowance>(
    deps.meteredUsage.allowanceAggregate,
    { id, tenantId },
    () => insertAllowance(deps, tenantId, request, limits, spend),
    (current) => {
      // born before the spend cap was set: complete it first, then decide (below)
      if (spend && !current.spend_tracked) {
        untracked = true;
        return undefined;
      }
      const decision = decideAllowance(current.reserved ?? {}, request, limits, spend);
      over = decision.over;
      reserved = over.length === 0 || mode === 'flag';
      if (!reserved || (request.adds.size === 0 && !request.peaks?.size)) return undefined;
      return { set: { reserved: decision.next } };
    },
  );
  if (!untracked) return { reserved, over };
  await trackSpend(deps, tenantId, request, spend!);
  return reserve(deps, tenantId, request, limits, mode, spend);
}

/** The period's counted quantities of the metrics a spend cap prices, as an allowance holds them. */
async function countedQuantities(
  deps: Deps,
  request: AllowanceRequest,
  metrics: readonly string[],
  limits: readonly MetricLimit[],
): Promise<Record<string, string>> {
  const totals = await deps.meteredUsage.findTotals(
    metrics.map((m) => totalsId(request.subscription_id, m, request.period_start)),
  );
  const quantities: Record<string, string> = {};
  metrics.forEach((metric, i) => {
    const t = totals[i];
    const limit = limits.find((l) => l.metric === metric);
    if (t && t.aggregation !== 'unique_count' && (!limit || t.aggregation === limit.aggregation))
      quantities[metric] = formatQuantity(
        usageQuantity(storedValueMetric(metric, t.aggregation), t.state),
      );
  });
  return quantities;
}

/**
 * An allowance born for plan limits only, now under a spend cap: the metrics it did not track get
 * the period's counted quantities (those it tracked already hold at least as much).
 */
async function trackSpend(
  deps: Deps,
  tenantId: string,
  request: AllowanceRequest,
  spend: SpendCap,
) {
  const metrics = [...new Set(spend.charges.map((c) => c.metric))];
  const counted = await countedQuantities(deps, request, metrics, []);
  await deps.aggregates.change<UsageAllowance>(
    deps.meteredUsage.allowanceAggregate,
    { id: allowanceId(request.subscription_id, request.period_start), tenantId },
    (current) =>
      current.spend_tracked
        ? undefined
        : { set: { reserved: { ...counted, ...current.reserved }, spend_tracked: true } },
  );
}

/**
 * An allowance is born with what the pre-aggregates hold for its limited count/sum metrics (with
 * a spend cap: for every metric its usage charges name): the period's usage counted before any
 * reservation was needed (a limit added mid-period).
 */
async function insertAllowance(
  deps: Deps,
  tenantId: string,
  request: AllowanceRequest,
  limits: readonly MetricLimit[],
  spend: SpendCap | undefined,
): Promise<void> {
  const metrics = spend
    ? [...new Set(spend.charges.map((c) => c.metric))]
    : limits
        .filter((l) => l.aggregation === 'count' || l.aggregation === 'sum')
        .map((l) => l.metric);
  await deps.meteredUsage.insertAllowance({
    _id: allowanceId(request.subscription_id, request.period_start),
    tenant_id: tenantId,
    subscription_id: request.subscription_id,
    period_start: new Date(request.period_start),
    reserved: await countedQuantities(deps, request, metrics, limits),
    spend_tracked: spend !== undefined,
    version: 1,
  });
}

async function releaseAll(deps: Deps, tenantId: string, requests: readonly AllowanceRequest[]) {
  await Promise.all(
    requests
      .filter((r) => r.adds.size > 0)
      .map((r) =>
        deps.aggregates.change<UsageAllowance>(
          deps.meteredUsage.allowanceAggregate,
          { id: allowanceId(r.subscription_id, r.period_start), tenantId },
          (current) => ({ set: { reserved: releaseAllowance(current.reserved ?? {}, r) } }),
        ),
      ),
  );
}

function limitReached(over: readonly Overage[]): AppError {
  const details: ErrorDetail[] = over.map((o) => ({
    field: 'events',
    message: `${o.metric} of subscription ${o.subscription_id}: the plan allows ${o.limit} per period, ${o.used} used, ${o.requested} with this request`,
    ...o,
  }));
  return new AppError(
    'plan_limit_reached',
    'The usage would pass a plan limit; none of the events was recorded',
    { details },
  );
}

/**
 * What GET usage shows of a subscription's limits in a period: each plan limit and the spend cap,
 * from the allowance (what accepted requests reserved), else from the usage counted so far.
 */
export async function limitsView(
  deps: Pick<TenantsDeps, 'meteredUsage' | 'providerPlans'>,
  sub: Subscription,
  periodStart: Date,
  usage: readonly { metric: string; aggregation: Aggregation; quantity: string }[],
  version: PlanVersion,
) {
  const plans = await deps.providerPlans.limitsOfPlans(sub.tenant_id, [sub.plan_id]);
  const plan = plans.get(sub.plan_id);
  const spendLimit = sub.spend_limit?.amount_minor ?? null;
  if (!plan) return { limits: [], spend: null };
  const charged = new Map(usage.map((u) => [u.metric, u.aggregation] as const));
  const limits = limitsOf(plan.limits, charged).filter((l) => enforceable(l.aggregation));
  if (limits.length === 0 && spendLimit === null) return { limits: [], spend: null };
  const allowance = await deps.meteredUsage.findAllowance(
    sub.tenant_id,
    allowanceId(sub._id, periodStart.toISOString()),
  );
  const quantities: Record<string, string> = {
    ...Object.fromEntries(usage.map((u) => [u.metric, u.quantity])),
    ...allowance?.reserved,
  };
  const views = limits.map((l) => {
    const used = quantities[l.metric]!;
    const remaining = l.limit - parseQuantity(used, l.metric);
    return {
      metric: l.metric,
      limit: formatQuantity(l.limit),
      used,
      remaining: formatQuantity(remaining > 0n ? remaining : 0n),
      mode: plan.limit_mode,
    };
  });
  if (spendLimit === null) return { limits: views, spend: null };
  const cap = spendCapOf(version, spendLimit);
  const used = spendOf(cap.charges, quantities);
  const spend = {
    limit: formatMinor(spendLimit, cap.currency),
    used: formatMinor(used, cap.currency),
    remaining: formatMinor(Math.max(0, spendLimit - used), cap.currency),
    mode: plan.limit_mode,
  };
  return { limits: views, spend };
}
