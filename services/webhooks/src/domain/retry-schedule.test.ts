import { maxAttempts, nextAttemptAt, parseRetrySchedule } from './retry-schedule';

const DEFAULT = '5,300,1800,7200,18000,36000,36000,36000,36000,36000,36000,36000';
const now = new Date('2026-01-01T00:00:00Z');

describe('retry schedule', () => {
  it('when the default schedule is read, then its 12 retries span about 3 days (13 attempts)', () => {
    const schedule = parseRetrySchedule(DEFAULT);
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total).toBe(279_305); // 3 days 5 h 35 min 5 s
    expect(maxAttempts(schedule)).toBe(13);
  });

  it('when a schedule is malformed, then it is refused', () => {
    for (const bad of ['', '1,,2', '-1', '0', 'a,1'])
      expect(() => parseRetrySchedule(bad)).toThrow('WEBHOOK_RETRY_SCHEDULE');
    expect(parseRetrySchedule(' 1, 2 ,3')).toEqual([1, 2, 3]);
  });

  it('when the jitter is at its bounds, then the wait is 90 % and just under 110 % of the scheduled one', () => {
    const schedule = [300];
    expect(nextAttemptAt(schedule, 1, now, () => 0)).toEqual(new Date(now.getTime() + 270_000));
    expect(nextAttemptAt(schedule, 1, now, () => 0.5)).toEqual(new Date(now.getTime() + 300_000));
    expect(nextAttemptAt(schedule, 1, now, () => 0.999999)?.getTime()).toBe(
      now.getTime() + 330_000,
    );
  });

  it('when attempts are made, then each waits its own entry and none follows the last', () => {
    const schedule = [5, 300, 1800];
    const mid = () => 0.5;
    expect(nextAttemptAt(schedule, 1, now, mid)?.getTime()).toBe(now.getTime() + 5_000);
    expect(nextAttemptAt(schedule, 2, now, mid)?.getTime()).toBe(now.getTime() + 300_000);
    expect(nextAttemptAt(schedule, 3, now, mid)?.getTime()).toBe(now.getTime() + 1_800_000);
    expect(nextAttemptAt(schedule, 4, now, mid)).toBeNull();
  });

  it('when many waits are drawn, then every one is within +-10 %', () => {
    for (let i = 0; i < 1000; i++) {
      const wait = nextAttemptAt([1800], 1, now)!.getTime() - now.getTime();
      expect(wait).toBeGreaterThanOrEqual(1_620_000);
      expect(wait).toBeLessThanOrEqual(1_980_000);
    }
  });
});
