import { AppError } from '@ledgerline/contracts';
import { changeLines, type Line } from './pricing';
import { fullPeriodAt, type PlanTerms, type SubscriptionClock } from './renewals';

/**
 * A subscription's move to another plan (or another number of seats) inside a period (issue 18):
 * an upgrade takes effect at once with the prorated difference of the advance fees invoiced now;
 * a downgrade waits for the period's end by default and charges nothing now. A downgrade at once
 * would owe the subscriber a credit for the unused days, which needs credit notes (issue 17): it
 * is refused until they exist. In a trial nothing was paid, so any change is immediate and free.
 */
export interface PlanChange {
  /** When the new terms take effect: now, or at the current period's end. */
  when: 'now' | 'period_end';
  /** What is invoiced now (the proration), empty when nothing is owed. */
  lines: Line[];
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
  if (credit_minor > 0)
    throw AppError.validation(
      'A downgrade at once would owe a credit for the unused days (credit notes are not built yet): downgrade at the period end',
      [{ field: 'at', message: 'must be period_end for a downgrade' }],
    );
  return { when, lines: now };
}
