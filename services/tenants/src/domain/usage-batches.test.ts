import { formatQuantity, usageQuantity } from './pricing';
import {
  APPLIED_BATCHES_KEPT,
  countedEvents,
  emptyTotals,
  fetchMarkers,
  markerOwners,
  eventPeriod,
  firstOfEachTransaction,
  foldContributions,
  groupContributions,
  markerId,
  periodOf,
  storedValueMetric,
  type BatchEvent,
  type StoredBatch,
} from './usage-batches';

const at = (iso: string) => new Date(iso);
const P1 = '2026-03-01T00:00:00.000Z';
const P2 = '2026-04-01T00:00:00.000Z';

const ev = (tx: string, value: string, sub = 'sub_a', periodStart = P1): BatchEvent => ({
  transaction_id: tx,
  subscription_id: sub,
  metric: 'storage',
  aggregation: 'sum',
  timestamp: '2026-03-10T10:00:00.000Z',
  value,
  period_start: periodStart,
});
const batch = (id: string, events: BatchEvent[], tenant = 'ten_p'): StoredBatch => ({
  _id: id,
  tenant_id: tenant,
  events,
});
const quantityOf = (state: Parameters<typeof usageQuantity>[1]) =>
  formatQuantity(usageQuantity(storedValueMetric('storage', 'sum'), state));

describe('which events of a request count', () => {
  test('when a transaction id repeats in a request, then only its first event is kept', () => {
    const events = [
      { transaction_id: 'a' },
      { transaction_id: 'b' },
      { transaction_id: 'a' },
      { transaction_id: 'c' },
      { transaction_id: 'b' },
    ];
    expect(firstOfEachTransaction(events)).toEqual([0, 1, 3]);
  });
});

describe('which events of fetched batches count', () => {
  const b1 = batch('ub_1', [ev('t1', '1.5'), ev('t2', '2')]);
  const b2 = batch('ub_2', [ev('t2', '100'), ev('t3', '0.25')]);

  test('when every marker is new, then every event counts', () => {
    expect(countedEvents([b1], new Map()).map((c) => c.event.transaction_id)).toEqual(['t1', 't2']);
  });

  test('when a marker is held by another batch, then that event is a duplicate and does not count', () => {
    const refused = new Map([[markerId('ten_p', 't2'), 'ub_1']]);
    const counted = countedEvents([b1, b2], refused);
    expect(counted.map((c) => [c.batchId, c.event.transaction_id, c.event.value])).toEqual([
      ['ub_1', 't1', '1.5'],
      ['ub_1', 't2', '2'],
      ['ub_2', 't3', '0.25'],
    ]);
  });

  test('when a batch comes again after a crash, then its own refused markers still count', () => {
    const refused = new Map([
      [markerId('ten_p', 't1'), 'ub_1'],
      [markerId('ten_p', 't2'), 'ub_1'],
    ]);
    expect(countedEvents([b1], refused)).toHaveLength(2);
  });

  test('when a refused marker has vanished (its tenant deleted), then it counts for nobody', () => {
    const refused = new Map([[markerId('ten_p', 't1'), '']]);
    expect(countedEvents([b1], refused).map((c) => c.event.transaction_id)).toEqual(['t2']);
  });

  test('when a fetch holds a transaction id twice, then only the first is inserted and the later is its duplicate', () => {
    const { firsts, later } = fetchMarkers([b1, b2]);
    expect(firsts.map((m) => [m._id, m.batch_id])).toEqual([
      ['ten_p:t1', 'ub_1'],
      ['ten_p:t2', 'ub_1'],
      ['ten_p:t3', 'ub_2'],
    ]);
    expect([...later]).toEqual([['ten_p:t2', 'ub_1']]);
    // nothing stored before: b1's t2 counts, b2's does not
    const fresh = countedEvents([b1, b2], markerOwners([], new Map(), later));
    expect(fresh.map((c) => `${c.batchId}:${c.event.transaction_id}`)).toEqual([
      'ub_1:t1',
      'ub_1:t2',
      'ub_2:t3',
    ]);
    // t2 stored by an older batch: neither counts; t1 stored by a batch since deleted: nobody's
    const owners = markerOwners(['ten_p:t2', 'ten_p:t1'], new Map([['ten_p:t2', 'ub_0']]), later);
    expect([...owners]).toEqual([
      ['ten_p:t2', 'ub_0'],
      ['ten_p:t1', ''],
    ]);
    expect(
      countedEvents([b1, b2], owners).map((c) => `${c.batchId}:${c.event.transaction_id}`),
    ).toEqual(['ub_2:t3']);
  });

  test('when events span subscriptions and periods, then they are grouped per subscription, metric and period, by batch', () => {
    const mixed = batch('ub_3', [
      ev('x1', '1', 'sub_a', P1),
      ev('x2', '2', 'sub_b', P1),
      ev('x3', '3', 'sub_a', P2),
      ev('x4', '4', 'sub_a', P1),
    ]);
    const groups = groupContributions(countedEvents([mixed, b2], new Map()));
    expect(
      groups.map((g) => [g.id, [...g.byBatch].map(([id, list]) => [id, list.map((e) => e.value)])]),
    ).toEqual([
      [
        `sub_a:storage:${P1}`,
        [
          ['ub_3', ['1', '4']],
          ['ub_2', ['100', '0.25']],
        ],
      ],
      [`sub_b:storage:${P1}`, [['ub_3', ['2']]]],
      [`sub_a:storage:${P2}`, [['ub_3', ['3']]]],
    ]);
  });
});

describe('folding into a pre-aggregate', () => {
  const group = (batches: [string, BatchEvent[]][]) =>
    groupContributions(
      countedEvents(
        batches.map(([id, events]) => batch(id, events)),
        new Map(),
      ),
    )[0]!;

  test('when two batches are folded, then the sum is exact and both are recorded as applied', () => {
    const g = group([
      ['ub_1', [ev('t1', '0.1'), ev('t2', '0.2')]],
      ['ub_2', [ev('t3', '1000000.000001')]],
    ]);
    const next = foldContributions(emptyTotals('sum'), g)!;
    expect(quantityOf(next.state)).toBe('1000000.300001');
    expect(next.events).toBe(3);
    expect(next.applied_batches).toEqual(['ub_1', 'ub_2']);
  });

  test('when a batch was applied already, then it is skipped, and all applied is no change at all', () => {
    const g = group([
      ['ub_1', [ev('t1', '5')]],
      ['ub_2', [ev('t2', '7')]],
    ]);
    const once = foldContributions(emptyTotals('sum'), {
      ...g,
      byBatch: new Map([...g.byBatch].slice(0, 1)),
    })!;
    const twice = foldContributions(once, g)!;
    expect([quantityOf(twice.state), twice.events, twice.applied_batches]).toEqual([
      '12',
      2,
      ['ub_1', 'ub_2'],
    ]);
    expect(foldContributions(twice, g)).toBeUndefined();
  });

  test(`when more than ${APPLIED_BATCHES_KEPT} batches were applied, then the newest ${APPLIED_BATCHES_KEPT} ids are kept`, () => {
    let totals = emptyTotals('sum');
    for (let i = 0; i < APPLIED_BATCHES_KEPT + 5; i++)
      totals = foldContributions(totals, group([[`ub_${i}`, [ev(`t${i}`, '1')]]]))!;
    expect(totals.applied_batches).toHaveLength(APPLIED_BATCHES_KEPT);
    expect(totals.applied_batches[0]).toBe('ub_5');
    expect([quantityOf(totals.state), totals.events]).toEqual([
      String(APPLIED_BATCHES_KEPT + 5),
      APPLIED_BATCHES_KEPT + 5,
    ]);
  });

  test('when events of another aggregation arrive, then they are counted as skipped, not folded', () => {
    const g = group([['ub_1', [ev('t1', '5'), { ...ev('t2', '9'), aggregation: 'max' }]]]);
    const next = foldContributions(emptyTotals('sum'), g)!;
    expect([quantityOf(next.state), next.events, next.skipped_events]).toEqual(['5', 1, 1]);
  });
});

describe('the period an event counts in', () => {
  const monthly = { interval: 'month' as const, anchor_day: null };
  const clock = { started_at: at('2026-01-15T12:00:00Z'), trial_ends_at: null, ends_at: null };

  test('when the plan has no anchor day, then periods run a month from the start', () => {
    expect(periodOf(clock, monthly, at('2026-03-20T00:00:00Z'))).toEqual({
      start: at('2026-03-15T12:00:00Z'),
      end: at('2026-04-15T12:00:00Z'),
    });
  });

  test('when a trial ends, then it is its own period and paid periods count from its end, off the anchor day', () => {
    const trial = { ...clock, trial_ends_at: at('2026-01-29T12:00:00Z') };
    const anchored = { interval: 'month' as const, anchor_day: 1 };
    expect(periodOf(trial, anchored, at('2026-01-20T00:00:00Z'))).toEqual({
      start: at('2026-01-15T12:00:00Z'),
      end: at('2026-01-29T12:00:00Z'),
    });
    expect(periodOf(trial, anchored, at('2026-01-30T00:00:00Z'))).toEqual({
      start: at('2026-01-29T12:00:00Z'),
      end: at('2026-02-01T00:00:00Z'),
    });
  });

  test('when an event is late across a boundary, then it counts in the period before; two periods back or outside the subscription it is refused', () => {
    const now = at('2026-03-15T12:30:00Z');
    expect(eventPeriod(clock, monthly, at('2026-03-15T11:45:00Z'), now)).toEqual({
      period: { start: at('2026-02-15T12:00:00Z'), end: at('2026-03-15T12:00:00Z') },
    });
    expect(eventPeriod(clock, monthly, at('2026-01-20T00:00:00Z'), now)).toEqual({
      refused: 'is in neither the current period nor the one just before it',
    });
    expect(eventPeriod(clock, monthly, at('2026-01-01T00:00:00Z'), now)).toEqual({
      refused: 'is outside the subscription (before its start or after its end)',
    });
    const ended = { ...clock, ends_at: at('2026-03-15T12:10:00Z') };
    expect(eventPeriod(ended, monthly, at('2026-03-15T12:20:00Z'), now)).toEqual({
      refused: 'is outside the subscription (before its start or after its end)',
    });
    expect(eventPeriod(ended, monthly, at('2026-03-15T12:05:00Z'), now)).toEqual({
      period: { start: at('2026-03-15T12:00:00Z'), end: at('2026-04-15T12:00:00Z') },
    });
  });
});
