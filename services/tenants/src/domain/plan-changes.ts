import { AppError } from '@ledgerline/contracts';
import { changeLines, invoiceTotal, type Line } from './pricing';
import { fullPeriodAt, type PlanTerms, type SubscriptionClock } from './renewals';

/**
 * A subscription's move to another plan (or another number of seats) inside a period (issue 18):
 * an upgrade takes effect at once with the prorated difference of the advance fees invoiced now;
 * a downgrade waits for the period's end by default and charges nothing now. A downgrade asked at
 * once owes the subscriber a credit for the unused days of the fees paid in advance: it goes to
 * the subscription's credit balance, which the next invoices of the subscription use up (billing
 * issues a credit note against each for the part it takes). In a trial nothing was paid, so any
 * change is immediate and free.
 */
export interface PlanChange {
  /** When the new terms take effect: now, or at the current period's end. */
  when: 'now' | 'period_end';
  /** What is invoiced now (the proration), empty when nothing is owed. */
  lines: Line[];
  /** A downgrade taken at once: the credit owed for the unused days, in minor units (> 0). */
  credit_minor?: number;
}

/**
 * How much of a credit balance an invoice of these lines takes: all of it up to the invoice's
 * total (an invoice never goes below zero; the rest waits for the next one).
 */
export function creditApplied(balanceMinor: number, lines: Line[]): number {
  if (balanceMinor <= 0 || lines.length === 0) return 0;
  return Math.min(balanceMinor, invoiceTotal(lines));
}

export function planChange(input: {
  clock: SubscriptionClock;
  from: PlanTerms;
  to: PlanTerms;
  toSeats: number;
  at: Date;
  asked?: 'now' | 'period_end';
}): PlanChange {
  const { clock, from, to, at } = input;
  if (to.currency !== from.currency || to.interval !== from.interval)
    throw AppError.validation('A subscription keeps its currency and interval: subscribe anew', [
      { field: 'plan', message: `must bill in ${from.currency} every ${from.interval}` },
    ]);
  const inTrial = clock.trial_ends_at !== null && at < clock.trial_ends_at;
  if (inTrial) return { when: input.asked ?? 'now', lines: [] };
  // the period ended and awaits its renewal: the change waits for it
  if (at >= clock.current_period_end) return { when: 'period_end', lines: [] };
  const { now, credit_minor } = changeLines({
    from: from.charges,
    to: to.charges,
    fromSeats: clock.seats,
    toSeats: input.toSeats,
    at,
    period: fullPeriodAt(clock, from, at),
    currency: from.currency,
  });
  const when = input.asked ?? (credit_minor > 0 ? 'period_end' : 'now');
  if (when === 'period_end') return { when, lines: [] };
  return credit_minor > 0 ? { when, lines: now, credit_minor } : { when, lines: now };
}
