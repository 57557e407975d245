import type { BatchEvent } from '../domain/usage-batches';
import { decodeEvents, encodeEvents } from './metered-usage';

const ev = (tx: string, sub: string, value: string | null): BatchEvent => ({
  transaction_id: tx,
  subscription_id: sub,
  metric: value === null ? 'calls' : 'storage',
  aggregation: value === null ? 'count' : 'sum',
  timestamp: '2026-03-10T10:00:00.000Z',
  value,
  period_start: '2026-03-01T00:00:00.000Z',
});

describe("a batch's stored events", () => {
  test('when events are encoded, then they are grouped per subscription, metric and period and decode to the same events', () => {
    const events = [
      ev('a', 'sub_1', '1.5'),
      ev('b', 'sub_2', '2'),
      ev('c', 'sub_1', '0.001'),
      ev('d', 'sub_1', null),
    ];
    const json = encodeEvents(events);
    expect(JSON.parse(json)).toEqual([
      {
        s: 'sub_1',
        m: 'storage',
        a: 'sum',
        p: '2026-03-01T00:00:00.000Z',
        e: [
          ['a', '2026-03-10T10:00:00.000Z', '1.5'],
          ['c', '2026-03-10T10:00:00.000Z', '0.001'],
        ],
      },
      {
        s: 'sub_2',
        m: 'storage',
        a: 'sum',
        p: '2026-03-01T00:00:00.000Z',
        e: [['b', '2026-03-10T10:00:00.000Z', '2']],
      },
      {
        s: 'sub_1',
        m: 'calls',
        a: 'count',
        p: '2026-03-01T00:00:00.000Z',
        e: [['d', '2026-03-10T10:00:00.000Z', null]],
      },
    ]);
    expect(decodeEvents(json)).toEqual([events[0], events[2], events[1], events[3]]);
  });
});
