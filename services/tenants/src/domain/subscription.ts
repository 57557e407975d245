export type BillingCycle = 'monthly' | 'yearly';

/** Adds one billing cycle in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addCycle(from: Date, cycle: BillingCycle): Date {
  const months = cycle === 'monthly' ? 1 : 12;
  const target = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  target.setUTCHours(
    from.getUTCHours(),
    from.getUTCMinutes(),
    from.getUTCSeconds(),
    from.getUTCMilliseconds(),
  );
  return target;
}

/** The next invoice falls at the end of the current period: the first cycle boundary after `now`. */
export function nextInvoiceAt(startedAt: Date, cycle: BillingCycle, now: Date): Date {
  let boundary = addCycle(startedAt, cycle);
  for (let i = 0; boundary <= now && i < 1200; i++) boundary = addCycle(boundary, cycle);
  return boundary;
}
