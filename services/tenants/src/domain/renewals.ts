import {
  advanceFeeLines,
  billingAnchor,
  daysIn,
  periodAt,
  renewalLines,
  type Charge,
  type Interval,
  type Line,
  type Metric,
  type Period,
  type ProrationFactor,
  type UsageState,
} from './pricing';

/**
 * When a provider's subscription owes an invoice and what it owes (issue 18), as pure functions
 * of the subscription's clock and its plan version's terms. The store keeps the clock; the
 * renewal sweep moves it forward in the same write that records the invoice as due, so each
 * boundary is invoiced once.
 */

/** The terms of the plan version a subscription is on. */
export interface PlanTerms {
  interval: Interval;
  /** Periods start on this day of the month (1..28); null: on the day the subscription started. */
  anchor_day: number | null;
  currency: string;
  charges: Charge[];
}

/** Where a subscription stands. A trial is one period of its own, [started_at, trial_ends_at). */
export interface SubscriptionClock {
  started_at: Date;
  trial_ends_at: Date | null;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  /** A fixed end (seed 001's grant with an expiry): no period is opened from it on. */
  ends_at: Date | null;
  seats: number;
}

/** A subscription's clock as stored (dates as the driver gives them: Date, or text). */
export type StoredClock = {
  [K in keyof SubscriptionClock]: SubscriptionClock[K] extends Date
    ? Date | string
    : SubscriptionClock[K] extends Date | null
      ? Date | string | null
      : SubscriptionClock[K];
};

/** The stored clock with its dates as Dates. */
export function clockOf(s: StoredClock): SubscriptionClock {
  const date = (d: Date | string) => new Date(d);
  return {
    started_at: date(s.started_at),
    trial_ends_at: s.trial_ends_at ? date(s.trial_ends_at) : null,
    current_period_start: date(s.current_period_start),
    current_period_end: date(s.current_period_end),
    cancel_at_period_end: s.cancel_at_period_end,
    ends_at: s.ends_at ? date(s.ends_at) : null,
    seats: s.seats,
  };
}

export interface DueInvoice {
  reason: 'started' | 'renewed' | 'changed';
  due_at: Date;
  /** Unique among the subscription's invoices: billing derives the invoice id from it. */
  invoice_key: string;
  lines: Line[];
}

/** The period of a paid subscription that starts at `at`: partial (prorated) off an anchor day. */
function paidPeriodFrom(
  paidFrom: Date,
  terms: Pick<PlanTerms, 'interval' | 'anchor_day'>,
  at: Date,
): { period: Period; factor?: ProrationFactor } {
  const full = periodAt(billingAnchor(paidFrom, terms.anchor_day), terms.interval, at);
  if (full.start.getTime() === at.getTime()) return { period: full };
  const period = { start: new Date(at.getTime()), end: full.end };
  return { period, factor: { part: daysIn(period), whole: daysIn(full) } };
}

/**
 * The whole paid period containing `at` (a short first period's full month): the denominator of
 * a change's proration, whose fees were paid for the days of that period.
 */
export function fullPeriodAt(
  clock: Pick<SubscriptionClock, 'started_at' | 'trial_ends_at'>,
  terms: Pick<PlanTerms, 'interval' | 'anchor_day'>,
  at: Date,
): Period {
  return periodAt(billingAnchor(paidFrom(clock), terms.anchor_day), terms.interval, at);
}

/** Paid periods count from the end of the trial, if there was one. */
const paidFrom = (clock: Pick<SubscriptionClock, 'started_at' | 'trial_ends_at'>) =>
  clock.trial_ends_at ?? clock.started_at;

const inTrialAt = (clock: Pick<SubscriptionClock, 'trial_ends_at'>, at: Date) =>
  clock.trial_ends_at !== null && at.getTime() < clock.trial_ends_at.getTime();

const DAY_MS = 86_400_000;

/**
 * A new subscription's status and first period: a trial is its own first period (status `trial`,
 * ending when the trial does); otherwise its first paid period, one whole interval from the start,
 * or with an anchor day the (shorter) stretch up to the next such day.
 */
export function startingClock(
  start: Date,
  terms: Pick<PlanTerms, 'interval' | 'anchor_day'>,
  trialDays: number,
): { status: 'trial' | 'active'; trialEndsAt: Date | null; period: Period } {
  if (trialDays > 0) {
    const trialEndsAt = new Date(start.getTime() + trialDays * DAY_MS);
    return { status: 'trial', trialEndsAt, period: { start, end: trialEndsAt } };
  }
  return {
    status: 'active',
    trialEndsAt: null,
    period: paidPeriodFrom(start, terms, start).period,
  };
}

/** What a new subscription owes at once: its first period's fees in advance; nothing in a trial. */
export function startInvoice(clock: SubscriptionClock, terms: PlanTerms): DueInvoice | null {
  if (inTrialAt(clock, clock.started_at)) return null;
  const { period, factor } = paidPeriodFrom(clock.started_at, terms, clock.started_at);
  return {
    reason: 'started',
    due_at: clock.started_at,
    invoice_key: `${clock.started_at.toISOString()}:started`,
    lines: advanceFeeLines(terms.charges, clock.seats, period, terms.currency, factor),
  };
}

export interface Renewal {
  invoice: DueInvoice;
  /** The period opened at the boundary; null when the subscription ends there. */
  next: Period | null;
}

/**
 * The renewal at the end of the current period, once `now` has reached it (null before): usage of
 * the closing period in arrears (free in a trial), fees of the opening period in advance (none
 * when the subscription ends at the boundary: canceled at period end or its fixed end reached).
 */
export function renewalAt(
  clock: SubscriptionClock,
  terms: PlanTerms,
  metrics: Record<string, Metric>,
  closingUsage: Record<string, UsageState>,
  now: Date,
  /** A change due at this boundary (a downgrade at period end): the opening period's fees. */
  change?: { terms: PlanTerms; seats: number },
): Renewal | null {
  const boundary = clock.current_period_end;
  if (now.getTime() < boundary.getTime()) return null;
  const closing = { start: clock.current_period_start, end: boundary };
  const ends =
    clock.cancel_at_period_end ||
    (clock.ends_at !== null && clock.ends_at.getTime() <= boundary.getTime());
  const next = change ?? { terms, seats: clock.seats };
  const opening = ends ? null : paidPeriodFrom(paidFrom(clock), next.terms, boundary);
  const lines = renewalLines({
    charges: terms.charges,
    metrics,
    seats: clock.seats,
    currency: terms.currency,
    closing,
    closingUsage,
    opening: null,
    closingInTrial: inTrialAt(clock, closing.start),
  });
  if (opening)
    lines.push(
      ...advanceFeeLines(
        next.terms.charges,
        next.seats,
        opening.period,
        next.terms.currency,
        opening.factor,
      ),
    );
  return {
    invoice: {
      reason: 'renewed',
      due_at: boundary,
      invoice_key: `${boundary.toISOString()}:renewed`,
      lines,
    },
    next: opening?.period ?? null,
  };
}
