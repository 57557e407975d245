import type { Aggregation } from './pricing';
import type { BatchEvent } from './usage-batches';
import {
  allowanceRequests,
  decideAllowance,
  limitsOf,
  releaseAllowance,
  type MetricLimit,
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
});
