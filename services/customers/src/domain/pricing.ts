/**
 * Package pricing validity windows. Dates are ISO calendar days (YYYY-MM-DD), both ends inclusive;
 * a window without an end is open-ended. Only active pricings price anything, so only they must
 * not overlap and only they can be "the active pricing".
 */
export interface PricingWindow {
  id: string;
  is_active: boolean;
  val_start_at: string;
  val_end_at: string | null;
}

const END_OF_TIME = '9999-12-31';

/** ISO dates compare correctly as strings. */
export function windowsOverlap(a: PricingWindow, b: PricingWindow): boolean {
  return (
    a.val_start_at <= (b.val_end_at ?? END_OF_TIME) &&
    b.val_start_at <= (a.val_end_at ?? END_OF_TIME)
  );
}

/** The first other active pricing whose window overlaps the candidate's, if the candidate is active. */
export function findOverlap<T extends PricingWindow>(
  candidate: PricingWindow,
  existing: readonly T[],
): T | null {
  if (!candidate.is_active) return null;
  return (
    existing.find((p) => p.id !== candidate.id && p.is_active && windowsOverlap(candidate, p)) ??
    null
  );
}

/** The active pricing valid on `date`; with overlaps refused there is at most one (else the latest start). */
export function pricingOn<T extends PricingWindow>(pricings: readonly T[], date: string): T | null {
  let found: T | null = null;
  for (const p of pricings) {
    if (!p.is_active || p.val_start_at > date || (p.val_end_at !== null && p.val_end_at < date))
      continue;
    if (!found || p.val_start_at > found.val_start_at) found = p;
  }
  return found;
}

/** Today's calendar day in UTC, the day every "active today" rule uses. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
