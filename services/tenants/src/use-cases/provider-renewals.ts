import { AppError, buildEvent, type EventEnvelope } from '@ledgerline/contracts';
import { ignoreNotFound, type Logger } from '@ledgerline/platform';
import { pricingTerms } from '../domain/plan-pricing';
import type { Line } from '../domain/pricing';
import { creditApplied } from '../domain/plan-changes';
import { clockOf, renewalAt, type DueInvoice } from '../domain/renewals';
import { LIVE_STATUSES, liveKey, type Subscription } from '../store/subscriptions';
import type { TenantsDeps } from './deps';
import { planVersionOf } from './plan-versions';
import { periodUsage } from './usage-read';

/**
 * Renewal invoicing of providers' subscriptions (issue 18). At each period end the subscription's
 * clock moves to the next period in the same single-document write that carries the period's
 * `SubscriptionInvoiceDue` (usage in arrears, fees in advance): a boundary is invoiced exactly
 * once, however often the sweep runs or is killed midway, and billing makes the invoice from the
 * event with an id derived from the boundary.
 */

const date = (d: Date | string) => new Date(d);

function eventLine(line: Line) {
  return {
    charge_code: line.charge_code,
    description: line.description,
    kind: line.kind,
    period_start: line.period.start.toISOString(),
    period_end: line.period.end.toISOString(),
    quantity: line.quantity,
    ...(line.unit_amount !== undefined && { unit_amount: line.unit_amount }),
    amount_minor: line.amount_minor,
  };
}

/** What the subscription owes, for billing; none when the plan charges nothing at all. */
export function invoiceDueEvent(
  sub: Pick<
    Subscription,
    '_id' | 'tenant_id' | 'subscriber' | 'plan_id' | 'plan_code' | 'plan_version'
  >,
  currency: string,
  due: DueInvoice,
  correlationId: string,
  /** Of the subscriber's credit balance, what this invoice takes (billing credits it). */
  creditMinor = 0,
): EventEnvelope[] {
  if (due.lines.length === 0) return [];
  const who = sub.subscriber;
  return [
    buildEvent('SubscriptionInvoiceDue', {
      tenant_id: sub.tenant_id,
      correlation_id: correlationId,
      data: {
        subscription_id: sub._id,
        subscriber:
          who.kind === 'organization'
            ? { kind: 'organization', id: who.tenant_id, name: who.printable_name }
            : { kind: 'customer', id: who.customer_id, name: null },
        plan_id: sub.plan_id,
        plan_code: sub.plan_code,
        plan_version: sub.plan_version,
        currency,
        due_at: due.due_at.toISOString(),
        reason: due.reason,
        invoice_key: due.invoice_key,
        lines: due.lines.map(eventLine),
        ...(creditMinor > 0 && { credit_minor: creditMinor }),
      },
    }),
  ];
}

/**
 * The part of the subscription's credit balance an invoice of these lines takes, and the balance
 * left (written in the same change as the invoice's event, so a credit is used exactly once).
 */
export function useCredit(s: Pick<Subscription, 'credit_balance'>, lines: Line[]) {
  const balance = s.credit_balance;
  const applied = balance ? creditApplied(balance.amount_minor, lines) : 0;
  if (!balance || applied === 0) return { applied: 0, set: {} };
  const left = balance.amount_minor - applied;
  return {
    applied,
    set: { credit_balance: left > 0 ? { ...balance, amount_minor: left } : null },
  };
}

/** A change due at the boundary (a downgrade at period end): its terms and the fields it sets. */
async function pendingOf(deps: TenantsDeps, s: Subscription) {
  const change = s.pending_change;
  if (!change) return null;
  // read afresh, not from the cache of versions: that plan has no live subscription to keep it
  const plan = await deps.providerPlans.findPlanById(s.tenant_id, change.plan_id);
  const version = plan?.versions.find((v) => v.version === change.plan_version);
  if (!version) return null; // the plan is gone: the subscription renews as it was
  return {
    terms: { terms: pricingTerms(version), seats: change.seats },
    fields: {
      plan_id: change.plan_id,
      plan_code: change.plan_code,
      plan_version: change.plan_version,
      seats: change.seats,
      live_key: liveKey(change.plan_id, s.subscriber),
      pending_change: null,
    },
  };
}

/**
 * Refuses (409 busy) to close a period that may still gain usage accepted before it: a batch
 * received by the period's end plus the lateness window (a later one cannot hold its events)
 * that the usage consumer has not folded yet. The renewal's grace covers the consumer's usual
 * lag; this covers the unusual one (Kafka away at the period's end), which would otherwise
 * invoice the period without usage that was accepted (202) and never bill it. The sweep and
 * renewal runs try again later. A record whose batch is not there (a crash between the two
 * inserts of the ingestion) is dropped.
 */
async function refuseWhileUsageUnfolded(deps: TenantsDeps, s: Subscription): Promise<void> {
  const until = new Date(date(s.current_period_end).getTime() + deps.usageLatenessSeconds * 1000);
  const waiting = await deps.meteredUsage.unfolded.findFor(s.tenant_id, s._id, until);
  if (waiting.length === 0) return;
  const there = await deps.meteredUsage.batchesThere(waiting.map((w) => w._id));
  const orphans = waiting.filter((w) => !there.has(w._id)).map((w) => w._id);
  if (orphans.length > 0) await deps.meteredUsage.unfolded.remove(orphans);
  if (there.size > 0) throw new UsageStillCounted(there.size);
}

/** A 409 busy that a renewal run lists and the sweep passes over until a later pass. */
export class UsageStillCounted extends AppError {
  constructor(batches: number) {
    super(
      'conflict',
      `The period's usage is still being counted (${batches} accepted batch${batches > 1 ? 'es' : ''} not folded yet); it is renewed once counted`,
      { reason: 'busy' },
    );
  }
}

/** At most this many boundaries per call (a subscription further behind is caught up by the next). */
export const BOUNDARIES_PER_CALL = 24;

/**
 * Renews one subscription's due boundaries, oldest first, one write each; answers how many.
 * `graceMs`: how long after a period's end it is renewed, so late usage events (accepted within
 * the lateness window) are in its invoice.
 */
export async function renewProviderSubscription(
  deps: TenantsDeps,
  key: { id: string; tenantId: string },
  opts: { now: Date; graceMs: number },
): Promise<number> {
  const cutoff = new Date(opts.now.getTime() - opts.graceMs);
  let renewed = 0;
  for (let boundaries = 0; boundaries < BOUNDARIES_PER_CALL; boundaries++) {
    const result = await deps.aggregates
      .change<Subscription>(deps.subscriptions.aggregate, key, async (s) => {
        if (!LIVE_STATUSES.includes(s.status)) return undefined;
        if (date(s.current_period_end) > cutoff) return undefined;
        // a version's terms never change: kept in memory (a live subscription's plan stays)
        const version = await planVersionOf(deps, s.tenant_id, s.plan_id, s.plan_version);
        if (!version) return undefined;
        const clock = clockOf(s);
        await refuseWhileUsageUnfolded(deps, s);
        // the closing period's usage as folded by the usage consumer (domain/usage-batches.ts)
        const usage = await periodUsage(deps, s, version, clock.current_period_start);
        const terms = pricingTerms(version);
        const pending = await pendingOf(deps, s);
        const renewal = renewalAt(
          clock,
          terms,
          usage.metrics,
          usage.states,
          cutoff,
          pending?.terms,
        );
        if (!renewal) return undefined;
        // the closing period's usage at the old plan; from the boundary on, the pending change's
        const moved = renewal.next && pending ? pending.fields : {};
        const credit = useCredit(s, renewal.invoice.lines);
        const events = invoiceDueEvent(
          { ...s, ...moved },
          terms.currency,
          renewal.invoice,
          `renewal-${s._id}`,
          credit.applied,
        );
        const set: Partial<Subscription> = renewal.next
          ? {
              // a renewal ends a trial; an overdue invoice keeps the subscription past_due
              status: s.status === 'past_due' ? 'past_due' : 'active',
              current_period_start: renewal.next.start,
              current_period_end: renewal.next.end,
              ...moved,
            }
          : { status: 'ended', live_key: `ended:${s._id}`, pending_change: null };
        return { set: { ...set, ...credit.set, updated_by: 'system:renewals' }, events };
      })
      .catch(ignoreNotFound);
    if (!result?.changed) break;
    renewed++;
    // caught up: the next boundary is not due yet (no second read to find that out)
    const after = result.after;
    if (!LIVE_STATUSES.includes(after.status) || date(after.current_period_end) > cutoff) break;
  }
  return renewed;
}

/** Every subscription whose period ended at least `graceMs` ago: renewed, or ended. */
export async function renewDueProviderSubscriptions(
  deps: TenantsDeps,
  opts: { now?: Date; graceMs: number; logger?: Logger },
): Promise<number> {
  const now = opts.now ?? new Date();
  let renewed = 0;
  const due = await deps.subscriptions.dueForRenewal(new Date(now.getTime() - opts.graceMs), 500);
  for (const s of due) {
    try {
      renewed += await renewProviderSubscription(
        deps,
        { id: s._id, tenantId: s.tenant_id },
        { ...opts, now },
      );
    } catch (err) {
      // the others are renewed all the same; this one on a later pass
      if (!(err instanceof UsageStillCounted)) throw err;
      // unusual by design (the grace covers the consumer's usual lag): a record that stays names
      // a batch the consumer could not fold (dead-lettered), for an operator to replay
      opts.logger?.warn({ subscription_id: s._id }, err.message);
    }
  }
  return renewed;
}
