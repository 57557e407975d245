import { aggregateWriter, createLogger } from '@ledgerline/platform';
import { onRealStores } from '../../../../test/support/real-stores';
import { buildEvent } from '@ledgerline/contracts';
import { formatQuantity, usageQuantity } from '../domain/pricing';
import { storedValueMetric, totalsId, type BatchEvent } from '../domain/usage-batches';
import { meteredUsageStore, type MeteredUsageStore } from '../store/metered-usage';
import { foldUsageBatches, type UsageFoldDeps } from './usage-fold';

jest.setTimeout(60_000);

const P1 = '2026-03-01T00:00:00.000Z';
let deps: UsageFoldDeps;
let store: MeteredUsageStore;

onRealStores('usagefold', ({ mongo, locks }) => {
  store = meteredUsageStore(mongo);
  deps = {
    meteredUsage: store,
    aggregates: aggregateWriter({ locks, writes: 'locked', publishSoon: () => undefined }),
    logger: createLogger('usage-fold-test', 'silent'),
  };
});

const ev = (tx: string, gb: string, sub: string): BatchEvent => ({
  transaction_id: tx,
  subscription_id: sub,
  metric: 'storage',
  aggregation: 'sum',
  timestamp: '2026-03-10T10:00:00.000Z',
  value: gb,
  period_start: P1,
});

async function recordBatch(
  tenant: string,
  id: string,
  events: BatchEvent[],
  receivedAt = new Date(),
  outbox: Parameters<MeteredUsageStore['insertBatch']>[1] = [],
) {
  await store.insertBatch(
    {
      _id: id,
      tenant_id: tenant,
      received_at: receivedAt,
      events,
      created_by: null,
      updated_by: null,
    },
    outbox,
  );
  return { tenant_id: tenant, batch_id: id };
}

async function reading(sub: string) {
  const [t] = await store.findTotals([totalsId(sub, 'storage', P1)]);
  return (
    t && {
      quantity: formatQuantity(usageQuantity(storedValueMetric('storage', 'sum'), t.state)),
      events: t.events,
      applied: t.applied_batches,
    }
  );
}

describe('folding usage batches on the real store', () => {
  test('when batches are folded and then delivered again, alone or together, then each event counts once', async () => {
    const tenant = `ten_${Math.random().toString(36).slice(2)}`;
    const sub = `sub_${tenant}`;
    const a = await recordBatch(tenant, `ub_a_${tenant}`, [
      ev('t1', '1.25', sub),
      ev('t2', '2', sub),
    ]);
    // t2 again, with another value: a duplicate of batch a, in the same fetch
    const b = await recordBatch(tenant, `ub_b_${tenant}`, [
      ev('t2', '50', sub),
      ev('t3', '0.5', sub),
    ]);
    await foldUsageBatches(deps, [a, b]);
    const once = await reading(sub);
    expect(once).toEqual({ quantity: '3.75', events: 3, applied: [a.batch_id, b.batch_id] });

    await foldUsageBatches(deps, [a, b]);
    await foldUsageBatches(deps, [b]);
    expect(await reading(sub)).toEqual(once);
    // a later batch repeating t1 counts only its new event
    const c = await recordBatch(tenant, `ub_c_${tenant}`, [ev('t1', '9', sub), ev('t4', '4', sub)]);
    await foldUsageBatches(deps, [c]);
    expect(await reading(sub)).toMatchObject({ quantity: '7.75', events: 4 });
  });

  test('when a crash came after the markers were written but before the totals, then the redelivered batch still counts, once', async () => {
    const tenant = `ten_${Math.random().toString(36).slice(2)}`;
    const sub = `sub_${tenant}`;
    const events = [ev('x1', '10', sub), ev('x2', '0.001', sub)];
    const a = await recordBatch(tenant, `ub_x_${tenant}`, events);
    // step (a) of an earlier delivery, then the crash
    await store.insertMarkers(
      events.map((e) => ({
        _id: `${tenant}:${e.transaction_id}`,
        tenant_id: tenant,
        batch_id: a.batch_id,
        subscription_id: sub,
        metric: 'storage',
        period_start: new Date(P1),
        timestamp: new Date(e.timestamp),
        value: e.value,
      })),
    );
    expect(await reading(sub)).toBeNull();
    await foldUsageBatches(deps, [a]);
    await foldUsageBatches(deps, [a]);
    expect(await reading(sub)).toEqual({ quantity: '10.001', events: 2, applied: [a.batch_id] });
  });

  test('when the tenant is deleted, then its batches, markers and totals go, and a late delivery counts nothing', async () => {
    const tenant = `ten_${Math.random().toString(36).slice(2)}`;
    const sub = `sub_${tenant}`;
    const a = await recordBatch(tenant, `ub_d_${tenant}`, [ev('d1', '3', sub)]);
    await foldUsageBatches(deps, [a]);
    await store.removeTenant(tenant);
    await foldUsageBatches(deps, [a]);
    expect(await reading(sub)).toBeNull();
    expect(await store.findBatch(a.batch_id)).toBeNull();
  });
});

describe('pruning usage batches', () => {
  test('when batches are older than the retention, then those whose event has left go and the rest stay', async () => {
    const tenant = `ten_${Math.random().toString(36).slice(2)}`;
    const old = new Date('2020-01-01T00:00:00Z');
    const published = await recordBatch(tenant, `ub_old_${tenant}`, [], old);
    const pending = await recordBatch(tenant, `ub_pending_${tenant}`, [], old, [
      buildEvent('UsageBatchRecorded', {
        tenant_id: tenant,
        data: { tenant_id: tenant, batch_id: 'x', events: 1, received_at: old.toISOString() },
      }),
    ]);
    const recent = await recordBatch(tenant, `ub_new_${tenant}`, []);
    expect(await store.pruneBatches(new Date('2021-01-01T00:00:00Z'))).toBe(1);
    expect(await store.findBatch(published.batch_id)).toBeNull();
    expect(await store.findBatch(pending.batch_id)).not.toBeNull();
    expect(await store.findBatch(recent.batch_id)).not.toBeNull();
  });

  test('when an old batch was never folded, then pruning keeps it until it is', async () => {
    const tenant = `ten_${Math.random().toString(36).slice(2)}`;
    const old = new Date('2019-01-01T00:00:00Z');
    const before = new Date('2019-06-01T00:00:00Z');
    const unfolded = await recordBatch(tenant, `ub_unfolded_${tenant}`, [], old);
    await store.unfolded.add({
      _id: unfolded.batch_id,
      tenant_id: tenant,
      subscription_ids: [`sub_${tenant}`],
      received_at: old,
    });
    const folded = await recordBatch(tenant, `ub_folded_${tenant}`, [], old);
    expect(await store.pruneBatches(before)).toBe(1);
    expect(await store.findBatch(folded.batch_id)).toBeNull();
    expect(await store.findBatch(unfolded.batch_id)).not.toBeNull();

    await store.unfolded.remove([unfolded.batch_id]); // what folding it does
    expect(await store.pruneBatches(before)).toBe(1);
    expect(await store.findBatch(unfolded.batch_id)).toBeNull();
  });
});
