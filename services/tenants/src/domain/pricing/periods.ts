import { divRoundHalfAwayFromZero } from '@ledgerline/contracts';
import { cycleBoundary, type BillingCycle } from '../subscription';
import { PricingInputError } from './errors';

export type Interval = 'month' | 'year';

/** A billing period, start inclusive, end exclusive. */
export interface Period {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
const CYCLE: Record<Interval, BillingCycle> = { month: 'monthly', year: 'yearly' };
const MONTHS: Record<Interval, number> = { month: 1, year: 12 };

function assertDate(date: Date, field: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(ms)) throw new PricingInputError(field, 'must be a valid date');
  return ms;
}

function assertInterval(interval: Interval): void {
  if (interval !== 'month' && interval !== 'year') {
    throw new PricingInputError('interval', 'must be month or year');
  }
}

/**
 * The period containing `at` (start <= at < end) of a subscription anchored at `anchor`. Periods
 * are counted from the anchor with cycleBoundary, so an anchor on the 31st gives Feb 28/29, Mar 31.
 */
export function periodAt(anchor: Date, interval: Interval, at: Date): Period {
  assertInterval(interval);
  const atMs = assertDate(at, 'at');
  assertDate(anchor, 'anchor');
  const cycle = CYCLE[interval];
  const months =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + at.getUTCMonth() - anchor.getUTCMonth();
  // An estimate within one period of the answer; the loops settle it.
  let k = Math.floor(months / MONTHS[interval]);
  while (cycleBoundary(anchor, cycle, k).getTime() > atMs) k--;
  while (cycleBoundary(anchor, cycle, k + 1).getTime() <= atMs) k++;
  return { start: cycleBoundary(anchor, cycle, k), end: cycleBoundary(anchor, cycle, k + 1) };
}

/**
 * The anchor every later periodAt call of a subscription uses: its start when it has no anchor
 * day, else day `anchorDay` at 00:00 UTC of the month it started in.
 */
export function billingAnchor(startedAt: Date, anchorDay: number | null): Date {
  assertDate(startedAt, 'started_at');
  if (anchorDay === null) return new Date(startedAt.getTime());
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 28) {
    throw new PricingInputError('anchor_day', 'must be an integer from 1 to 28');
  }
  return new Date(Date.UTC(startedAt.getUTCFullYear(), startedAt.getUTCMonth(), anchorDay));
}

/**
 * A subscription's first period. Without an anchor day it is one whole interval from the start
 * (`full` is the same object). With anchor day d (1..28, so every month has it) periods start on
 * day d at 00:00 UTC: a start between two such boundaries gets the partial period up to the next
 * one, and `full` is the whole period containing the start, the denominator of its proration.
 * For a yearly plan the boundaries are day d of the start's month in every year.
 */
export function firstPeriod(
  startedAt: Date,
  interval: Interval,
  anchorDay: number | null,
): { period: Period; full: Period } {
  const anchor = billingAnchor(startedAt, anchorDay);
  const full = periodAt(anchor, interval, startedAt);
  if (full.start.getTime() === startedAt.getTime()) return { period: full, full };
  return { period: { start: new Date(startedAt.getTime()), end: full.end }, full };
}

const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * The days a period counts for proration: UTC calendar days between its start and end dates, each
 * taken at 00:00 UTC. So the day a period starts on counts as a whole day even when it starts at
 * 15:00 (a change on a given day takes effect for that whole day) and the day it ends on does not.
 * April 1 -> May 1 is 30 days; March 10 15:00 -> April 1 is 22.
 */
export function daysIn(period: Period): number {
  const start = utcDay(assertDate(period.start, 'period.start'));
  const end = utcDay(assertDate(period.end, 'period.end'));
  if (end < start) throw new PricingInputError('period', 'must not end before it starts');
  return end - start;
}

/** `amountMinor x part / whole`, rounded half away from zero; the amount may be negative. */
export function prorate(amountMinor: number, part: number, whole: number): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new PricingInputError('amount', 'must be an integer number of minor units');
  }
  if (!Number.isSafeInteger(whole) || whole <= 0) {
    throw new PricingInputError('whole', 'must be a positive integer');
  }
  if (!Number.isSafeInteger(part) || part < 0 || part > whole) {
    throw new PricingInputError('part', `must be an integer from 0 to ${whole}`);
  }
  return Number(divRoundHalfAwayFromZero(BigInt(amountMinor) * BigInt(part), BigInt(whole)));
}
