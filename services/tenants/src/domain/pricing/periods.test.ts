import { PricingInputError } from './errors';
import { billingAnchor, daysIn, firstPeriod, periodAt, prorate, type Period } from './periods';

const d = (iso: string) => new Date(iso);
const iso = (period: Period) => [period.start.toISOString(), period.end.toISOString()];

describe('periodAt', () => {
  test('when a monthly anchor is the 31st, then periods clamp to month ends without drifting', () => {
    const anchor = d('2024-01-31T00:00:00Z');
    expect(iso(periodAt(anchor, 'month', d('2024-02-15T00:00:00Z')))).toEqual([
      '2024-01-31T00:00:00.000Z',
      '2024-02-29T00:00:00.000Z', // leap year
    ]);
    // A period's start belongs to it, its end to the next one.
    expect(iso(periodAt(anchor, 'month', d('2024-02-29T00:00:00Z')))).toEqual([
      '2024-02-29T00:00:00.000Z',
      '2024-03-31T00:00:00.000Z',
    ]);
    expect(iso(periodAt(anchor, 'month', d('2024-04-29T23:59:59Z')))).toEqual([
      '2024-03-31T00:00:00.000Z',
      '2024-04-30T00:00:00.000Z',
    ]);
    // Before the anchor, periods count backwards the same way.
    expect(iso(periodAt(anchor, 'month', d('2024-01-30T12:00:00Z')))).toEqual([
      '2023-12-31T00:00:00.000Z',
      '2024-01-31T00:00:00.000Z',
    ]);
  });

  test('when the time of day of the anchor is later than the instant, then the previous period holds it', () => {
    const anchor = d('2024-01-15T10:30:00Z');
    expect(iso(periodAt(anchor, 'month', d('2030-06-15T00:00:00Z')))).toEqual([
      '2030-05-15T10:30:00.000Z',
      '2030-06-15T10:30:00.000Z',
    ]);
  });

  test('when a yearly anchor is Feb 29, then common years end on Feb 28 and leap years on Feb 29', () => {
    const anchor = d('2024-02-29T12:00:00Z');
    expect(iso(periodAt(anchor, 'year', d('2025-03-01T00:00:00Z')))).toEqual([
      '2025-02-28T12:00:00.000Z',
      '2026-02-28T12:00:00.000Z',
    ]);
    expect(iso(periodAt(anchor, 'year', d('2028-03-01T00:00:00Z')))).toEqual([
      '2028-02-29T12:00:00.000Z',
      '2029-02-28T12:00:00.000Z',
    ]);
  });
});

describe('firstPeriod', () => {
  test('when there is no anchor day, then the first period is one whole interval from the start', () => {
    const { period, full } = firstPeriod(d('2026-03-10T15:00:00Z'), 'month', null);
    expect(iso(period)).toEqual(['2026-03-10T15:00:00.000Z', '2026-04-10T15:00:00.000Z']);
    expect(full).toBe(period);
  });

  test('when a subscription starts mid-month with anchor day 1, then it gets the rest of the month', () => {
    const { period, full } = firstPeriod(d('2026-03-10T15:00:00Z'), 'month', 1);
    expect(iso(period)).toEqual(['2026-03-10T15:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(iso(full)).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(daysIn(period)).toBe(22); // March 10..31, the start day counted whole
    expect(daysIn(full)).toBe(31);
  });

  test('when the start is before the anchor day, then the partial period runs to that day', () => {
    const { period, full } = firstPeriod(d('2026-03-10T00:00:00Z'), 'month', 15);
    expect(iso(period)).toEqual(['2026-03-10T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
    expect(iso(full)).toEqual(['2026-02-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
    expect([daysIn(period), daysIn(full)]).toEqual([5, 28]); // 2026 is a common year
    const yearly = firstPeriod(d('2024-03-10T00:00:00Z'), 'year', 15);
    expect(iso(yearly.full)).toEqual(['2023-03-15T00:00:00.000Z', '2024-03-15T00:00:00.000Z']);
    expect(daysIn(yearly.full)).toBe(366); // holds Feb 29, 2024
  });

  test('when the start is exactly on the anchor day, then the first period is whole', () => {
    const { period, full } = firstPeriod(d('2026-04-01T00:00:00Z'), 'month', 1);
    expect(iso(period)).toEqual(['2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
    expect(full).toBe(period);
    expect(billingAnchor(d('2026-04-20T08:00:00Z'), 1).toISOString()).toBe(
      '2026-04-01T00:00:00.000Z',
    );
  });

  test('when the anchor day is outside 1..28, then it is refused', () => {
    for (const day of [0, 29, 31, 1.5]) {
      expect(() => firstPeriod(d('2026-04-01T00:00:00Z'), 'month', day)).toThrow(PricingInputError);
    }
  });
});

describe('daysIn', () => {
  test('when periods span February or a year, then leap days count', () => {
    expect(daysIn({ start: d('2024-02-01T00:00:00Z'), end: d('2024-03-01T00:00:00Z') })).toBe(29);
    expect(daysIn({ start: d('2023-02-01T00:00:00Z'), end: d('2023-03-01T00:00:00Z') })).toBe(28);
    expect(daysIn({ start: d('2024-01-01T00:00:00Z'), end: d('2025-01-01T00:00:00Z') })).toBe(366);
    // Calendar days at 00:00: 23:00 -> next day 01:00 is one day.
    expect(daysIn({ start: d('2026-04-01T23:00:00Z'), end: d('2026-04-02T01:00:00Z') })).toBe(1);
    expect(() =>
      daysIn({ start: d('2026-04-02T00:00:00Z'), end: d('2026-04-01T00:00:00Z') }),
    ).toThrow(PricingInputError);
  });
});

describe('prorate', () => {
  test('when 20 of 30 days remain, then exactly two thirds is charged', () => {
    expect(prorate(3000, 20, 30)).toBe(2000);
    expect(prorate(1000, 20, 30)).toBe(667); // 666.67
  });

  test('when the share has a remainder, then it rounds half away from zero either sign', () => {
    expect(prorate(1000, 1, 3)).toBe(333); // 333.33
    expect(prorate(500, 1, 3)).toBe(167); // 166.67
    expect(prorate(-500, 1, 3)).toBe(-167);
    expect(prorate(15, 1, 2)).toBe(8); // 7.5
    expect(prorate(-15, 1, 2)).toBe(-8); // -7.5
    expect(prorate(999, 0, 30)).toBe(0);
    expect(prorate(999, 30, 30)).toBe(999);
  });

  test('when the share is outside 0..whole or not whole numbers, then it is refused', () => {
    expect(() => prorate(100, 31, 30)).toThrow(PricingInputError);
    expect(() => prorate(100, -1, 30)).toThrow(PricingInputError);
    expect(() => prorate(100, 1, 0)).toThrow(PricingInputError);
    expect(() => prorate(1.5, 1, 2)).toThrow(PricingInputError);
  });
});
