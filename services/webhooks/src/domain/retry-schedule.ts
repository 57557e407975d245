/**
 * When a delivery's next attempt is due. The schedule lists the seconds before each retry (the
 * first attempt is immediate), so a schedule of n entries makes n + 1 attempts; each wait gets
 * +-10 % jitter so the retries of many deliveries that failed together (a receiver's outage) do
 * not come back all at once.
 */
export const JITTER = 0.1;

/** `"5,300,1800"` -> [5, 300, 1800]; refuses an empty schedule or a wait that is not a positive number. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p) || Number(p) <= 0))
    throw new Error('WEBHOOK_RETRY_SCHEDULE: comma-separated positive numbers of seconds');
  return parts.map(Number);
}

/**
 * The time of the attempt after attempt number `attemptsMade` (1 = the first attempt just
 * failed), or null when the schedule is exhausted (the delivery has failed). `random` in [0, 1).
 */
export function nextAttemptAt(
  schedule: readonly number[],
  attemptsMade: number,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  const wait = schedule[attemptsMade - 1];
  if (wait === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * random();
  return new Date(now.getTime() + Math.round(wait * factor * 1000));
}

/** Every attempt a delivery gets: the first and one per scheduled retry. */
export const maxAttempts = (schedule: readonly number[]): number => schedule.length + 1;
