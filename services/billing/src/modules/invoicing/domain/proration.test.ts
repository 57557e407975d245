import { calendarMonth, daysInMonth, monthFraction, overlap, prorate } from './proration';

const month = (start: string, end: string) => ({ start, end });

describe('proration by days', () => {
  it('when a month is billed whole, then the fraction is exactly one month whatever its length', () => {
    for (const [start, end, days] of [
      ['2025-02-01', '2025-02-28', 28],
      ['2024-02-01', '2024-02-29', 29],
      ['2025-04-01', '2025-04-30', 30],
      ['2025-01-01', '2025-01-31', 31],
    ] as const) {
      expect(monthFraction(month(start, end))).toEqual({ numerator: 1n, denominator: 1n, days });
      expect(prorate(123_457, monthFraction(month(start, end)))).toBe(123_457);
    }
  });

  it('when the row starts mid-month, then the price is days/month-length of the month, exactly', () => {
    // 10 of 28, 29, 30 and 31 days of 1000.00
    expect(prorate(100_000, monthFraction(month('2025-02-19', '2025-02-28')))).toBe(35_714); // 35714.2857
    expect(prorate(100_000, monthFraction(month('2024-02-20', '2024-02-29')))).toBe(34_483); // 34482.7586
    expect(prorate(100_000, monthFraction(month('2025-04-21', '2025-04-30')))).toBe(33_333); // 33333.33
    expect(prorate(100_000, monthFraction(month('2025-01-22', '2025-01-31')))).toBe(32_258); // 32258.0645
  });

  it('when the exact value ends in a half, then it rounds half away from zero', () => {
    // 1 day of a 30-day month of 0.15 = 0.005 -> 0.01; of -0.15 -> -0.01
    expect(prorate(15, monthFraction(month('2025-04-01', '2025-04-01')))).toBe(1);
    expect(prorate(-15, monthFraction(month('2025-04-01', '2025-04-01')))).toBe(-1);
    // 14 of 28 days of 0.01 = 0.005 -> 0.01
    expect(prorate(1, monthFraction(month('2025-02-01', '2025-02-14')))).toBe(1);
    // 1 day of 31 of 0.15 = 0.00483 -> 0.00
    expect(prorate(15, monthFraction(month('2025-01-01', '2025-01-01')))).toBe(0);
  });

  it('when the range spans months, then each month counts its own days and the sum is rounded once', () => {
    // 2025-01-17..2025-02-14: 15/31 + 14/28 = 61/62 of a month
    const f = monthFraction(month('2025-01-17', '2025-02-14'));
    expect(f).toEqual({ numerator: 61n, denominator: 62n, days: 29 });
    expect(prorate(100_000, f)).toBe(98_387); // 98387.0967
    // a whole quarter is three months
    expect(monthFraction(month('2025-01-01', '2025-03-31'))).toEqual({
      numerator: 3n,
      denominator: 1n,
      days: 90,
    });
  });

  it('when the currency has 0 or 3 decimals, then the same minor-unit arithmetic applies (JPY, BHD, KWD)', () => {
    // JPY 10,000 for 10 of 30 days = 3333.33 -> 3333 yen
    expect(prorate(10_000, monthFraction(month('2025-06-21', '2025-06-30')))).toBe(3_333);
    // JPY 5 for 15 of 30 days = 2.5 -> 3 yen (half away from zero)
    expect(prorate(5, monthFraction(month('2025-06-16', '2025-06-30')))).toBe(3);
    // BHD 12.345 (12345 fils) for 10 of 31 days = 3982.258 -> 3.982
    expect(prorate(12_345, monthFraction(month('2025-01-22', '2025-01-31')))).toBe(3_982);
    // KWD 0.031 for 15 of 31 days... 31 fils x 15/31 = 15 fils exactly
    expect(prorate(31, monthFraction(month('2025-01-17', '2025-01-31')))).toBe(15);
  });

  it('when a row meets a period, then only the shared days are billed', () => {
    const period = { start: '2025-01-01', end: '2025-01-31' };
    expect(overlap(period, { start: '2024-12-01', end: null })).toEqual(period);
    expect(overlap(period, { start: '2025-01-10', end: '2025-02-10' })).toEqual({
      start: '2025-01-10',
      end: '2025-01-31',
    });
    expect(overlap(period, { start: '2025-02-01', end: null })).toBeNull();
    expect(overlap(period, { start: '2024-01-01', end: '2024-12-31' })).toBeNull();
  });

  it('when asked for month lengths and the current month, then leap years and UTC are respected', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2025, 2), daysInMonth(2100, 2)]).toEqual([
      29, 28, 28,
    ]);
    expect(calendarMonth(new Date('2024-02-29T23:59:59Z'))).toEqual({
      start: '2024-02-01',
      end: '2024-02-29',
    });
  });
});
