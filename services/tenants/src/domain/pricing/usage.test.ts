import fc from 'fast-check';
import { PricingInputError } from './errors';
import {
  addUsage,
  emptyUsage,
  eventValue,
  mergeUsage,
  usageQuantity,
  validateMetric,
  type Aggregation,
  type Metric,
  type UsageEvent,
} from './usage';
import { formatQuantity } from './units';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const ev = (tx: string, minute: number, properties: Record<string, unknown>): UsageEvent => ({
  transaction_id: tx,
  timestamp: new Date(T0 + minute * 60_000),
  properties,
});

const COUNT: Metric = { code: 'api_calls', aggregation: 'count' };
const SUM: Metric = { code: 'storage', aggregation: 'sum', field: 'gb' };
const MAX: Metric = { code: 'peak', aggregation: 'max', field: 'gb' };
const UNIQUE: Metric = { code: 'users', aggregation: 'unique_count', field: 'user' };
const LATEST: Metric = { code: 'seats_used', aggregation: 'latest', field: 'gb' };

describe('aggregations', () => {
  test('when events are counted, then each event is one unit whatever its properties', () => {
    const state = addUsage(emptyUsage(COUNT), COUNT, [
      ev('a', 0, {}),
      ev('b', 1, { x: 1 }),
      ev('c', 2, {}),
    ]);
    expect(state).toEqual({ count: '3' });
    expect(usageQuantity(COUNT, state)).toBe(3_000_000n);
    expect(eventValue(COUNT, ev('a', 0, {}))).toBeNull();
  });

  test('when a field is summed, then decimals add exactly and corrections may be negative', () => {
    const events = [ev('a', 0, { gb: '1.5' }), ev('b', 1, { gb: 2 }), ev('c', 2, { gb: '-0.5' })];
    const state = addUsage(emptyUsage(SUM), SUM, events);
    expect(state).toEqual({ sum: '3000000' }); // 1.5 + 2 - 0.5 = 3 units
    expect(usageQuantity(SUM, state)).toBe(3_000_000n);
    expect(addUsage(state, SUM, [ev('d', 3, { gb: 0.1 }), ev('e', 4, { gb: 0.2 })])).toEqual({
      sum: '3300000', // 0.1 + 0.2 = 0.3 exactly, no float drift
    });
  });

  test('when the max is taken, then the greatest value wins and an empty max is 0', () => {
    expect(usageQuantity(MAX, emptyUsage(MAX))).toBe(0n);
    const events = [ev('a', 0, { gb: 2 }), ev('b', 1, { gb: '7.25' }), ev('c', 2, { gb: '3' })];
    const state = addUsage(emptyUsage(MAX), MAX, events);
    expect(state).toEqual({ max: '7250000' });
    expect(() => addUsage(state, MAX, [ev('d', 3, { gb: -1 })])).toThrow(PricingInputError);
  });

  test('when distinct values are counted, then they are compared as strings', () => {
    const events = [
      ev('a', 0, { user: 'ann' }),
      ev('b', 1, { user: 'bob' }),
      ev('c', 2, { user: 'ann' }),
      ev('d', 3, { user: 1 }),
      ev('e', 4, { user: '1' }),
    ];
    const state = addUsage(emptyUsage(UNIQUE), UNIQUE, events);
    expect(state).toEqual({ values: ['1', 'ann', 'bob'] });
    expect(usageQuantity(UNIQUE, state)).toBe(3_000_000n);
  });

  test('when the latest value is kept, then the greatest timestamp wins, ties to the greater tx', () => {
    const events = [ev('a', 1, { gb: 5 }), ev('b', 3, { gb: 2 }), ev('c', 2, { gb: 9 })];
    const state = addUsage(emptyUsage(LATEST), LATEST, events);
    expect(state).toEqual({ value: '2000000', at: '2026-03-01T00:03:00.000Z', tx: 'b' });
    const tieA = ev('tx-a', 5, { gb: 8 });
    const tieB = ev('tx-b', 5, { gb: 4 });
    expect(addUsage(state, LATEST, [tieA, tieB])).toEqual(addUsage(state, LATEST, [tieB, tieA]));
    expect(usageQuantity(LATEST, addUsage(state, LATEST, [tieB, tieA]))).toBe(4_000_000n);
    expect(usageQuantity(LATEST, emptyUsage(LATEST))).toBe(0n);
  });

  test('when usage is added, then the given state is left unchanged (pure)', () => {
    const state = emptyUsage(UNIQUE);
    addUsage(state, UNIQUE, [ev('a', 0, { user: 'x' })]);
    expect(state).toEqual({ values: [] });
  });

  test('when an event lacks or garbles the field, then the error names it', () => {
    const cases: Array<[Metric, Record<string, unknown>]> = [
      [SUM, {}],
      [SUM, { gb: 'lots' }],
      [SUM, { gb: { nested: 1 } }],
      [SUM, { gb: '1.0000001' }],
      [UNIQUE, { user: null }],
      [UNIQUE, { user: ['a'] }],
      [LATEST, { gb: null }],
    ];
    for (const [metric, properties] of cases) {
      expect(() => eventValue(metric, ev('a', 0, properties))).toThrow(PricingInputError);
      try {
        eventValue(metric, ev('a', 0, properties));
      } catch (error) {
        expect((error as PricingInputError).field).toBe(`properties.${metric.field}`);
      }
    }
  });

  test("when a stored state does not fit the metric's aggregation, then it is refused by name", () => {
    expect(() => usageQuantity(SUM, { count: '3' })).toThrow(PricingInputError);
    expect(() => addUsage({ sum: '1.5' }, SUM, [])).toThrow(PricingInputError);
    expect(() => mergeUsage(UNIQUE, { values: [1] } as never, emptyUsage(UNIQUE))).toThrow(
      PricingInputError,
    );
    expect(() => usageQuantity(LATEST, { value: '1', at: 'yesterday', tx: 'a' })).toThrow(
      PricingInputError,
    );
  });

  test('when a metric other than count has no field, then it is refused', () => {
    expect(() => validateMetric({ code: 'x', aggregation: 'sum' })).toThrow(PricingInputError);
    expect(() => validateMetric({ code: 'x', aggregation: 'avg' as Aggregation })).toThrow(
      PricingInputError,
    );
    expect(() => validateMetric(COUNT)).not.toThrow();
  });
});

/** Random events of one metric with unique transaction ids (duplicates go upstream) and tied timestamps. */
function eventsArb(metric: Metric): fc.Arbitrary<UsageEvent[]> {
  const signed = metric.aggregation === 'sum';
  const value = fc
    .bigInt({ min: signed ? -5_000_000n : 0n, max: 5_000_000n })
    .map((v) => (metric.aggregation === 'unique_count' ? String(v % 7n) : formatQuantity(v)));
  return fc
    .uniqueArray(
      fc.record({
        tx: fc.string({ minLength: 1, maxLength: 4 }),
        minute: fc.integer({ min: 0, max: 4 }),
        value,
      }),
      { selector: (e) => e.tx, maxLength: 30 },
    )
    .map((list) => list.map((e) => ev(e.tx, e.minute, { [metric.field ?? 'n']: e.value })));
}

describe.each([COUNT, SUM, MAX, UNIQUE, LATEST])('merging $aggregation states', (metric) => {
  const stateOf = (events: UsageEvent[]) => addUsage(emptyUsage(metric), metric, events);

  test('when states are merged in any order or grouping, then the result is the same as one add', () => {
    fc.assert(
      fc.property(eventsArb(metric), fc.nat(), fc.nat(), (events, i, j) => {
        // Three disjoint batches cut at random points of one event stream.
        const [cut1, cut2] = [i % (events.length + 1), j % (events.length + 1)].sort(
          (x, y) => x - y,
        );
        const a = stateOf(events.slice(0, cut1));
        const b = stateOf(events.slice(cut1, cut2));
        const c = stateOf(events.slice(cut2));
        expect(mergeUsage(metric, a, b)).toEqual(mergeUsage(metric, b, a));
        expect(mergeUsage(metric, mergeUsage(metric, a, b), c)).toEqual(
          mergeUsage(metric, a, mergeUsage(metric, b, c)),
        );
        expect(mergeUsage(metric, mergeUsage(metric, c, a), b)).toEqual(stateOf(events));
        expect(mergeUsage(metric, a, emptyUsage(metric))).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });
});
