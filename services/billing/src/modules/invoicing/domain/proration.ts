import { divRoundHalfAwayFromZero } from '@ledgerline/contracts';

/**
 * Proration of monthly prices by days. Dates are ISO calendar days (YYYY-MM-DD, UTC), both ends
 * inclusive. A price is per calendar month, so each day is worth 1/(days in its month) of it: a
 * row billed for all of February is billed one month, exactly like all of March. A period that
 * spans months adds the months' fractions; the amount is rounded once, half away from zero.
 */
export interface DayRange {
  start: string;
  /** null: open-ended. */
  end: string | null;
}

/** An exact fraction of one month's price, with the number of days it covers. */
export interface MonthFraction {
  numerator: bigint;
  denominator: bigint;
  days: number;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** The days of `range` inside `period` (null when they do not meet). */
export function overlap(period: DayRange & { end: string }, range: DayRange): DayRange | null {
  const start = range.start > period.start ? range.start : period.start;
  const end = range.end === null || range.end > period.end ? period.end : range.end;
  return start <= end ? { start, end } : null;
}

/** How many months' worth `range` (closed, both ends set) is: the sum of days/month-length. */
export function monthFraction(range: { start: string; end: string }): MonthFraction {
  let numerator = 0n;
  let denominator = 1n;
  let days = 0;
  let day = dayNumber(range.start);
  const last = dayNumber(range.end);
  while (day <= last) {
    const date = dateOf(day);
    const year = Number(date.slice(0, 4));
    const month = Number(date.slice(5, 7));
    const length = daysInMonth(year, month);
    const monthEnd = day + (length - Number(date.slice(8, 10)));
    const until = Math.min(monthEnd, last);
    const inMonth = until - day + 1;
    numerator = numerator * BigInt(length) + BigInt(inMonth) * denominator;
    denominator *= BigInt(length);
    const common = gcd(numerator, denominator);
    numerator /= common;
    denominator /= common;
    days += inMonth;
    day = until + 1;
  }
  return { numerator, denominator, days };
}

/** A monthly price for a fraction of months, rounded half away from zero to a minor unit. */
export function prorate(monthlyMinor: number, fraction: MonthFraction): number {
  return Number(
    divRoundHalfAwayFromZero(BigInt(monthlyMinor) * fraction.numerator, fraction.denominator),
  );
}

/** The calendar month (UTC) containing `now`, as a period. */
export function calendarMonth(now: Date): { start: string; end: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const mm = String(m).padStart(2, '0');
  return {
    start: `${y}-${mm}-01`,
    end: `${y}-${mm}-${String(daysInMonth(y, m)).padStart(2, '0')}`,
  };
}
