import type { Aggregation } from './pricing';
import type { BatchEvent } from './usage-batches';
import {
  allowanceRequests,
  decideAllowance,
  limitsOf,
  releaseAllowance,
  spendOf,
  spendTracked,
  type MetricLimit,
  type SpendCap,
} from './usage-limits';

const P1 = '2026-12-01T00:00:00.000Z';
const P0 = '2026-11-01T00:00:00.000Z';

const event = (
  tx: string,
  metric: string,
  aggregation: Aggregation,
  value: string | null,
  sub = 'sub_a',
  period = P1,
): BatchEvent => ({
  transaction_id: tx,
  subscription_id: sub,
  metric,
  aggregation,
  timestamp: '2026-12-05T10:00:00.000Z',
  value,
  period_start: period,
});

const charged = new Map<string, Aggregation>([
  ['storage', 'sum'],
  ['calls', 'count'],
  ['peak', 'max'],
  ['users', 'unique_count'],
]);

describe('usage limits', () => {
  test('when a plan limits metrics it charges and others, then only the charged ones apply, in millionths', () => {
    expect(limitsOf({ storage: 100, calls: 3, customers: 10 }, charged)).toEqual([
      { metric: 'storage', aggregation: 'sum', limit: 100_000_000n },
      { metric: 'calls', aggregation: 'count', limit: 3_000_000n },
    ]);
  });

  test('when events are grouped, then each subscription and period gets what it adds, duplicates and unlimited metrics adding nothing', () => {
    const limits = new Map<string, MetricLimit[]>([
      ['sub_a', limitsOf({ storage: 100, calls: 3, peak: 50 }, charged)],
      ['sub_b', limitsOf({ calls: 1 }, charged)],
    ]);
    const requests = allowanceRequests(
      [
        event('t1', 'storage', 'sum', '12.5'),
        event('t2', 'storage', 'sum', '0.000001'),
        event('t3', 'calls', 'count', null),
        event('t4', 'calls', 'count', null),
        event('t5', 'calls', 'count', null, 'sub_a', P0), // late: the period before
        event('t6', 'peak', 'max', '49'), // within the cap on its own
        event('t7', 'peak', 'max', '50.5'), // above it on its own
        event('t8', 'calls', 'count', null, 'sub_b'),
        event('t9', 'calls', 'count', null, 'sub_c'), // no limits
        event('t10', 'storage', 'sum', '99'), // counted before: a duplicate
      ],
      limits,
      new Set(['t10']),
    );
    expect(requests).toEqual([
      {
        subscription_id: 'sub_a',
        period_start: P1,
        adds: new Map([
          ['storage', 12_500_001n],
          ['calls', 2_000_000n],
        ]),
        singles: [{ metric: 'peak', value: 50_500_000n }],
        unenforceable: [],
      },
      {
        subscription_id: 'sub_a',
        period_start: P0,
        adds: new Map([['calls', 1_000_000n]]),
        singles: [],
        unenforceable: [],
      },
      {
        subscription_id: 'sub_b',
        period_start: P1,
        adds: new Map([['calls', 1_000_000n]]),
        singles: [],
        unenforceable: [],
      },
    ]);
  });

  test('when a unique_count metric is under a limit, then its events are marked unenforceable', () => {
    const limits = new Map([['sub_a', limitsOf({ users: 5 }, charged)]]);
    const [request] = allowanceRequests(
      [event('t1', 'users', 'unique_count', 'alice'), event('t2', 'users', 'unique_count', 'bob')],
      limits,
      new Set(),
    );
    expect(request!.unenforceable).toEqual(['users']);
  });

  test('when a request stays within the limit exactly, then it passes and the reservation grows', () => {
    const limits = limitsOf({ storage: 100, calls: 3 }, charged);
    const [request] = allowanceRequests(
      [event('t1', 'storage', 'sum', '10'), event('t2', 'calls', 'count', null)],
      new Map([['sub_a', limits]]),
      new Set(),
    );
    expect(decideAllowance({ storage: '90', calls: '2' }, request!, limits)).toEqual({
      next: { storage: '100', calls: '3' },
      over: [],
    });
  });

  test('when a request passes a limit by a millionth, then the overage names the limit, the use before and with it', () => {
    const limits = limitsOf({ storage: 100 }, charged);
    const [request] = allowanceRequests(
      [event('t1', 'storage', 'sum', '10.000001')],
      new Map([['sub_a', limits]]),
      new Set(),
    );
    expect(decideAllowance({ storage: '90' }, request!, limits)).toEqual({
      next: { storage: '100.000001' },
      over: [
        {
          subscription_id: 'sub_a',
          metric: 'storage',
          limit: '100',
          used: '90',
          requested: '100.000001',
        },
      ],
    });
  });

  test('when a max metric event is above its cap, then it is an overage on its own', () => {
    const limits = limitsOf({ peak: 50 }, charged);
    const [request] = allowanceRequests(
      [event('t1', 'peak', 'max', '50.5')],
      new Map([['sub_a', limits]]),
      new Set(),
    );
    expect(decideAllowance({}, request!, limits).over).toEqual([
      { subscription_id: 'sub_a', metric: 'peak', limit: '50', used: '0', requested: '50.5' },
    ]);
  });

  test('when a reservation is released, then what it added is taken back, never below zero', () => {
    const limits = limitsOf({ storage: 100, calls: 3 }, charged);
    const [request] = allowanceRequests(
      [event('t1', 'storage', 'sum', '10'), event('t2', 'calls', 'count', null)],
      new Map([['sub_a', limits]]),
      new Set(),
    );
    expect(releaseAllowance({ storage: '25.5', calls: '0' }, request!)).toEqual({
      storage: '15.5',
      calls: '0',
    });
  });

  describe('spend cap', () => {
    // storage: 5 cents a GB up to 1,000 GB, 2 cents above; calls: 0.15 cents each; peak: 1 USD a unit
    const cap: SpendCap = {
      limit_minor: 5_000, // 50.00 USD
      currency: 'USD',
      charges: [
        {
          kind: 'usage',
          code: 'storage',
          name: 'Storage',
          metric: 'storage',
          model: {
            model: 'graduated',
            tiers: [
              { up_to: 1_000_000_000n, unit_price: 5_000_000n, flat_amount_minor: 0 },
              { up_to: null, unit_price: 2_000_000n, flat_amount_minor: 0 },
            ],
          },
        },
        {
          kind: 'usage',
          code: 'calls',
          name: 'Calls',
          metric: 'calls',
          model: { model: 'per_unit', unit_price: 150_000n },
        },
        {
          kind: 'usage',
          code: 'peak',
          name: 'Peak',
          metric: 'peak',
          model: { model: 'per_unit', unit_price: 100_000_000n },
        },
      ],
    };

    test('when reserved quantities are priced, then each usage charge is rounded once and summed in minor units', () => {
      // 12.5 GB -> 62.5 -> 63; 3 calls -> 0.45 -> 0; peak 2 -> 200
      expect(spendOf(cap.charges, { storage: '12.5', calls: '3', peak: '2' })).toBe(263);
      // 1,200 GB: 1,000 x 5 + 200 x 2 = 5,400
      expect(spendOf(cap.charges, { storage: '1200' })).toBe(5_400);
      expect(spendOf(cap.charges, {})).toBe(0);
    });

    test('when a subscription is spend-capped, then every charged metric is tracked, plan caps kept', () => {
      expect(spendTracked(limitsOf({ calls: 3 }, charged), charged)).toEqual([
        { metric: 'calls', aggregation: 'count', limit: 3_000_000n },
        { metric: 'storage', aggregation: 'sum', limit: null },
        { metric: 'peak', aggregation: 'max', limit: null },
        { metric: 'users', aggregation: 'unique_count', limit: null },
      ]);
    });

    test('when a request would take the period past the cap, then it is a spend overage in money, and a peak only raises its metric', () => {
      const limits = spendTracked([], charged);
      const [request] = allowanceRequests(
        [
          event('t1', 'storage', 'sum', '900'),
          event('t2', 'peak', 'max', '3'),
          event('t3', 'peak', 'max', '2'),
        ],
        new Map([['sub_a', limits]]),
        new Set(),
        new Set(['sub_a']),
      );
      expect(request!.peaks).toEqual(new Map([['peak', 3_000_000n]]));
      // before: 80 GB (400) + peak 1 (100) = 5.00; after: 980 GB (4,900) + peak 3 (300) = 52.00
      expect(decideAllowance({ storage: '80', peak: '1' }, request!, limits, cap)).toEqual({
        next: { storage: '980', peak: '3' },
        over: [
          {
            subscription_id: 'sub_a',
            metric: 'spend',
            limit: '50.00',
            used: '5.00',
            requested: '52.00',
          },
        ],
      });
      // a peak below the one reserved leaves it; 40 GB more stays within: 4.00 + 2.00 + 5.00 = 11.00
      const [small] = allowanceRequests(
        [event('t4', 'storage', 'sum', '40'), event('t5', 'peak', 'max', '0.5')],
        new Map([['sub_a', limits]]),
        new Set(),
        new Set(['sub_a']),
      );
      expect(decideAllowance({ storage: '80', peak: '5' }, small!, limits, cap)).toEqual({
        next: { storage: '120', peak: '5' },
        over: [],
      });
    });

    test('when the cap was lowered below what is used, then a request adding no cost passes and one adding cost does not', () => {
      const limits = spendTracked([], charged);
      const low = { ...cap, limit_minor: 100 };
      const [free] = allowanceRequests(
        [event('t1', 'peak', 'max', '1')],
        new Map([['sub_a', limits]]),
        new Set(),
        new Set(['sub_a']),
      );
      expect(decideAllowance({ storage: '100', peak: '2' }, free!, limits, low).over).toEqual([]);
      const [more] = allowanceRequests(
        [event('t2', 'calls', 'count', null)],
        new Map([['sub_a', limits]]),
        new Set(),
        new Set(['sub_a']),
      );
      // 100 GB = 500 + peak 2 = 200 -> 7.00; one call more is 0.0015 USD: 700.15 rounds to 700
      expect(decideAllowance({ storage: '100', peak: '2' }, more!, limits, low).over).toEqual([]);
      const [paid] = allowanceRequests(
        [event('t3', 'storage', 'sum', '0.1')],
        new Map([['sub_a', limits]]),
        new Set(),
        new Set(['sub_a']),
      );
      expect(decideAllowance({ storage: '100', peak: '2' }, paid!, limits, low).over).toEqual([
        {
          subscription_id: 'sub_a',
          metric: 'spend',
          limit: '1.00',
          used: '7.00',
          requested: '7.01',
        },
      ]);
    });
  });
});
