import { startingClock } from './renewals';

const firstPeriod = (
  start: Date,
  interval: 'month' | 'year',
  anchorDay: number | null,
  trialDays: number,
) => startingClock(start, { interval, anchor_day: anchorDay }, trialDays);

const at = (text: string) => new Date(text);

describe("a provider subscription's first period", () => {
  test('when there is no trial and no anchor day, then the period is one cycle from the start', () => {
    expect(firstPeriod(at('2026-01-31T10:00:00Z'), 'month', null, 0)).toEqual({
      status: 'active',
      trialEndsAt: null,
      period: { start: at('2026-01-31T10:00:00Z'), end: at('2026-02-28T10:00:00Z') },
    });
    expect(firstPeriod(at('2024-02-29T00:00:00Z'), 'year', null, 0).period.end).toEqual(
      at('2025-02-28T00:00:00Z'),
    );
  });

  test('when the plan has an anchor day, then the first period ends on the next such day', () => {
    expect(firstPeriod(at('2026-03-10T12:00:00Z'), 'month', 1, 0).period.end).toEqual(
      at('2026-04-01T00:00:00Z'),
    );
    expect(firstPeriod(at('2026-03-10T12:00:00Z'), 'month', 15, 0).period.end).toEqual(
      at('2026-03-15T00:00:00Z'),
    );
    expect(firstPeriod(at('2026-03-15T00:00:00Z'), 'month', 15, 0).period.end).toEqual(
      at('2026-04-15T00:00:00Z'),
    );
    expect(firstPeriod(at('2026-03-10T12:00:00Z'), 'year', 1, 0).period.end).toEqual(
      at('2027-03-01T00:00:00Z'),
    );
  });

  test('when the plan has trial days, then the trial is the first period', () => {
    expect(firstPeriod(at('2026-03-10T12:00:00Z'), 'month', 1, 14)).toEqual({
      status: 'trial',
      trialEndsAt: at('2026-03-24T12:00:00Z'),
      period: { start: at('2026-03-10T12:00:00Z'), end: at('2026-03-24T12:00:00Z') },
    });
  });
});
