import type { Charge } from './charges';
import { PricingInputError } from './errors';
import {
  advanceFeeLines,
  arrearsUsageLines,
  changeLines,
  invoiceTotal,
  renewalLines,
  type Line,
} from './lines';
import type { Metric } from './usage';
import { APRIL, BASIC, CALLS, MARCH, METRICS } from '../../test-support/pricing-fixtures';
import { addUsage, emptyUsage, type UsageEvent } from './usage';

const d = (iso: string) => new Date(iso);
// Pro: 59.00 USD a month, 15.00 USD a seat, same usage charge.
const PRO: Charge[] = [
  { kind: 'flat', code: 'platform', name: 'Platform fee', amount_minor: 5900 },
  { kind: 'per_seat', code: 'seats', name: 'Seats', unit_amount_minor: 1500 },
  BASIC[2]!,
];

const calls = (n: number): UsageEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    transaction_id: `tx-${i}`,
    timestamp: d('2026-03-15T00:00:00Z'),
    properties: {},
  }));
const MARCH_USAGE = { api_calls: addUsage(emptyUsage(CALLS), CALLS, calls(1500)) };
const amounts = (lines: Line[]) => lines.map((l) => [l.charge_code, l.amount_minor]);

describe('advance fees', () => {
  test('when a period opens, then flat and seat fees are billed whole and usage is not', () => {
    const lines = advanceFeeLines(BASIC, 3, APRIL, 'USD');
    expect(lines).toEqual([
      {
        charge_code: 'platform',
        description: 'Platform fee',
        kind: 'flat',
        period: APRIL,
        quantity: '1',
        unit_amount: '29.00',
        amount_minor: 2900,
      },
      {
        charge_code: 'seats',
        description: 'Seats',
        kind: 'per_seat',
        period: APRIL,
        quantity: '3',
        unit_amount: '10.00',
        amount_minor: 3000, // 3 x 10.00
      },
    ]);
  });

  test('when a customer subscribes on March 10 (anchor day 1), then each fee is 22/31 of itself', () => {
    const partial = { start: d('2026-03-10T15:00:00Z'), end: MARCH.end };
    const lines = advanceFeeLines(BASIC, 3, partial, 'USD', { part: 22, whole: 31 });
    // 2900 x 22 / 31 = 2058.06 -> 2058; 3000 x 22 / 31 = 2129.03 -> 2129
    expect(amounts(lines)).toEqual([
      ['platform', 2058],
      ['seats', 2129],
    ]);
    expect(lines[0]!.description).toBe('Platform fee (prorated 22/31 days)');
    expect(invoiceTotal(lines)).toBe(4187);
  });
});

describe('usage in arrears', () => {
  test('when 1,500 calls were made, then tiers give 1000 x 0.2 + 500 x 0.1 cents', () => {
    const lines = arrearsUsageLines(BASIC, MARCH_USAGE, METRICS, MARCH, 'USD');
    expect(lines).toEqual([
      {
        charge_code: 'calls',
        description: 'API calls',
        kind: 'usage',
        period: MARCH,
        quantity: '1500',
        amount_minor: 250, // 200 + 50
      },
    ]);
  });

  test('when a metric had no events, then its line still shows with 0', () => {
    const perUnit: Charge = {
      kind: 'usage',
      code: 'gb',
      name: 'Storage',
      metric: 'storage',
      model: { model: 'per_unit', unit_price: 150_000n },
    };
    const metrics = { storage: { code: 'storage', aggregation: 'sum', field: 'gb' } as Metric };
    expect(arrearsUsageLines([perUnit], {}, metrics, MARCH, 'USD')).toEqual([
      {
        charge_code: 'gb',
        description: 'Storage',
        kind: 'usage',
        period: MARCH,
        quantity: '0',
        unit_amount: '0.0015',
        amount_minor: 0,
      },
    ]);
    expect(() => arrearsUsageLines(BASIC, {}, {}, MARCH, 'USD')).toThrow(PricingInputError);
  });
});

describe('renewal', () => {
  const base = {
    charges: BASIC,
    metrics: METRICS,
    seats: 3,
    currency: 'USD',
    closing: MARCH,
    closingUsage: MARCH_USAGE,
    opening: APRIL,
  };

  test("when a period ends, then the closing period's usage and the opening period's fees are billed", () => {
    const lines = renewalLines(base);
    expect(amounts(lines)).toEqual([
      ['calls', 250],
      ['platform', 2900],
      ['seats', 3000],
    ]);
    expect(lines[0]!.period).toEqual(MARCH);
    expect(lines[1]!.period).toEqual(APRIL);
    expect(invoiceTotal(lines)).toBe(6150);
  });

  test('when the boundary is inside a trial, then neither usage nor fees are charged', () => {
    expect(renewalLines({ ...base, inTrial: true })).toEqual([]);
  });

  test('when a trial ends at this boundary, then the trial usage is free and the first fees are due', () => {
    expect(amounts(renewalLines({ ...base, closingInTrial: true }))).toEqual([
      ['platform', 2900],
      ['seats', 3000],
    ]);
    expect(amounts(renewalLines({ ...base, openingInTrial: true }))).toEqual([['calls', 250]]);
  });

  test('when a subscription is canceled at period end, then its last invoice has usage only', () => {
    expect(amounts(renewalLines({ ...base, opening: null }))).toEqual([['calls', 250]]);
  });

  test('when a downgrade waits for period end, then the next period bills the new plan', () => {
    const cheaper = BASIC.filter((c) => c.kind !== 'per_seat');
    expect(amounts(renewalLines({ ...base, charges: cheaper }))).toEqual([
      ['calls', 250],
      ['platform', 2900],
    ]);
  });
});

describe('plan and seat changes', () => {
  const change = { from: BASIC, to: PRO, fromSeats: 3, toSeats: 3, period: APRIL, currency: 'USD' };

  test('when upgrading after 10 of 30 days, then exactly 20/30 of the difference is charged now', () => {
    // Basic 2900 + 3 x 1000 = 5900; Pro 5900 + 3 x 1500 = 10400; 4500 x 20 / 30 = 3000.
    const { now, credit_minor } = changeLines({ ...change, at: d('2026-04-11T00:00:00Z') });
    expect(credit_minor).toBe(0);
    expect(now).toEqual([
      {
        charge_code: 'proration',
        description: 'Plan change: 20/30 days of the 45.00 USD difference',
        kind: 'proration',
        period: { start: d('2026-04-11T00:00:00Z'), end: APRIL.end },
        quantity: '1',
        unit_amount: '30.00',
        amount_minor: 3000,
      },
    ]);
  });

  test('when the change is during a day, then that whole day counts as remaining', () => {
    // April 10 15:00 -> 21 days remain: 4500 x 21 / 30 = 3150.
    const { now } = changeLines({ ...change, at: d('2026-04-10T15:00:00Z') });
    expect(now[0]!.amount_minor).toBe(3150);
  });

  test('when downgrading at once, then the unused part is a credit and nothing is charged', () => {
    const { now, credit_minor } = changeLines({
      ...change,
      from: PRO,
      to: BASIC,
      at: d('2026-04-11T00:00:00Z'),
    });
    expect(now).toEqual([]);
    expect(credit_minor).toBe(3000);
  });

  test('when only the seat count changes, then the seat difference is prorated the same way', () => {
    // 2 more seats x 1000 = 2000 x 20 / 30 = 1333.33 -> 1333
    const more = changeLines({ ...change, to: BASIC, toSeats: 5, at: d('2026-04-11T00:00:00Z') });
    expect(more.now[0]!.amount_minor).toBe(1333);
    const fewer = changeLines({ ...change, to: BASIC, toSeats: 1, at: d('2026-04-11T00:00:00Z') });
    expect(fewer).toEqual({ now: [], credit_minor: 1333 });
    const same = changeLines({ ...change, to: BASIC, at: d('2026-04-11T00:00:00Z') });
    expect(same).toEqual({ now: [], credit_minor: 0 });
  });

  test('when the change is outside the period, then it is refused', () => {
    expect(() => changeLines({ ...change, at: APRIL.end })).toThrow(PricingInputError);
    expect(() => changeLines({ ...change, at: d('2026-03-31T00:00:00Z') })).toThrow(
      PricingInputError,
    );
  });
});

describe('invoice total', () => {
  test('when lines are summed beyond the maximum amount, then it is refused', () => {
    const line = advanceFeeLines(
      [{ kind: 'flat', code: 'big', name: 'Big', amount_minor: 999_999_999_999 }],
      0,
      APRIL,
      'USD',
    )[0]!;
    expect(invoiceTotal([line])).toBe(999_999_999_999);
    expect(() => invoiceTotal([line, line])).toThrow(PricingInputError);
    expect(invoiceTotal([])).toBe(0);
  });
});
