export type BillingCycle = 'monthly' | 'yearly';

/**
 * The k-th cycle boundary after `anchor`, in UTC, clamped to the month's last day. Always counted
 * from the anchor, so Jan 31 gives Feb 29, Mar 31, Apr 30 ... and never drifts to the 29th.
 */
export function cycleBoundary(anchor: Date, cycle: BillingCycle, k: number): Date {
  const months = (cycle === 'monthly' ? 1 : 12) * k;
  const target = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(anchor.getUTCDate(), lastDay));
  target.setUTCHours(
    anchor.getUTCHours(),
    anchor.getUTCMinutes(),
    anchor.getUTCSeconds(),
    anchor.getUTCMilliseconds(),
  );
  return target;
}

/** One cycle after `from` (the first boundary of a subscription started at `from`). */
export function addCycle(from: Date, cycle: BillingCycle): Date {
  return cycleBoundary(from, cycle, 1);
}

/** The next invoice falls at the end of the current period: the first boundary after `now`. */
export function nextInvoiceAt(anchor: Date, cycle: BillingCycle, now: Date): Date {
  let k = 1;
  while (cycleBoundary(anchor, cycle, k) <= now && k < 1200) k++;
  return cycleBoundary(anchor, cycle, k);
}

export interface BillingPeriod {
  start: Date;
  end: Date;
}

/**
 * The periods a subscription anchored at `anchor` has entered after `billedThrough` (the end of
 * the last period billed), up to `now`: one per renewal, so a sweep that ran late bills every
 * missed period once, and none twice.
 */
export function duePeriods(
  anchor: Date,
  cycle: BillingCycle,
  billedThrough: Date,
  now: Date,
  max = 24,
): BillingPeriod[] {
  const periods: BillingPeriod[] = [];
  let k = 0;
  while (cycleBoundary(anchor, cycle, k) < billedThrough && k < 1200) k++;
  while (periods.length < max) {
    const start = cycleBoundary(anchor, cycle, k);
    if (start > now) break;
    periods.push({ start, end: cycleBoundary(anchor, cycle, k + 1) });
    k++;
  }
  return periods;
}
