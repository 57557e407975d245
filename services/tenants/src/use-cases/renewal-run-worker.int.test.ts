import { aggregateWriter, newId } from '@ledgerline/platform';
import type { Connection } from 'mongoose';
import { onRealStores } from '../../../../test/support/real-stores';
import { providerWithDueSubscriptions } from '../test-support/due-subscriptions';
import { meteredUsageStore } from '../store/metered-usage';
import { providerPlanStore } from '../store/provider-plans';
import { queuedRun, renewalRunStore, type RenewalRun } from '../store/renewal-runs';
import { subscriptionStore, type Subscription } from '../store/subscriptions';
import type { TenantsDeps } from './deps';
import { renewDueProviderSubscriptions, renewProviderSubscription } from './provider-renewals';
import { renewalRunWorker } from './renewal-run-worker';

/**
 * The renewal-run worker against the real store: a run left behind by a dead process (its lease
 * run out) is taken over from its cursor, and every boundary is announced exactly once.
 */

jest.setTimeout(60_000);

let deps: TenantsDeps;
let mongo: Connection;

onRealStores('renewalruns', (infra) => {
  mongo = infra.mongo;
  const { locks } = infra;
  // only what a renewal reads and writes; anything else would be a bug here
  deps = {
    providerPlans: providerPlanStore(mongo),
    subscriptions: subscriptionStore(mongo),
    meteredUsage: meteredUsageStore(mongo),
    renewalRuns: renewalRunStore(mongo),
    usageLatenessSeconds: 3600,
    aggregates: aggregateWriter({ locks, writes: 'locked', publishSoon: () => undefined }),
    publishSoon: () => undefined,
  } as Partial<TenantsDeps> as TenantsDeps;
});

const runs = () => mongo.collection<RenewalRun>('renewal_runs');
const subscriptions = () =>
  mongo.collection<Subscription & { _outbox?: { type: string }[] }>('subscriptions');

/** The boundaries announced per subscription: its SubscriptionInvoiceDue events (unpublished). */
async function invoicesDue(ids: string[]) {
  const docs = await subscriptions()
    .find({ _id: { $in: ids } })
    .toArray();
  return docs.map((d) => (d._outbox ?? []).filter((e) => e.type === 'SubscriptionInvoiceDue'));
}

async function insertRun(tenantId: string, fields: Partial<RenewalRun>) {
  // the sweep's rule: now less the usage grace
  const cutoff = new Date(Date.now() - 3660 * 1000);
  const run = await deps.renewalRuns.insert({
    ...queuedRun(newId('rrun'), tenantId, cutoff, null),
    ...fields,
  });
  return run!;
}

describe('the renewal-run worker', () => {
  test('when a process died after saving one page and renewing three more subscriptions, then another takes the run over from its cursor and each boundary is announced exactly once', async () => {
    const { tenantId, ids, periodEnd } = await providerWithDueSubscriptions(deps, 25);
    const opts = { now: new Date(), graceMs: 3660 * 1000 };
    // the dead process: its first page (10) saved, then 3 renewed of the second page, unsaved
    for (const id of ids.slice(0, 13))
      expect(await renewProviderSubscription(deps, { id, tenantId }, opts)).toBe(1);
    const run = await insertRun(tenantId, {
      status: 'running',
      cursor: ids[9]!,
      subscriptions_done: 10,
      due: 10,
      renewed: 10,
      lease: { owner: 'rrw_dead', until: new Date(Date.now() - 1000) },
      started_at: new Date(),
    });

    const worker = renewalRunWorker(deps, { pageSize: 10, leaseMs: 60_000 });
    await worker.wake();
    await worker.stop();

    const done = await runs().findOne({ _id: run._id });
    // the 3 renewed in the unsaved page were no longer due: counted as examined, not renewed twice
    expect(done).toMatchObject({
      status: 'completed',
      subscriptions_done: 25,
      due: 22,
      renewed: 22,
      failed: 0,
      failures: [],
      cursor: ids[24],
      live_key: `done:${run._id}`,
      lease: null,
    });
    expect((await invoicesDue(ids)).map((events) => events.length)).toEqual(ids.map(() => 1));
    const moved = await subscriptions()
      .find({ _id: { $in: ids } })
      .toArray();
    expect(moved.every((s) => s.current_period_start.getTime() === periodEnd.getTime())).toBe(true);
  });

  test('when the sweep renews the same subscriptions while a run works, then each boundary is announced once and the two counts add up to them', async () => {
    const { tenantId, ids } = await providerWithDueSubscriptions(deps, 30);
    const run = await insertRun(tenantId, {});
    const worker = renewalRunWorker(deps, { pageSize: 7, leaseMs: 60_000 });
    const [swept] = await Promise.all([
      renewDueProviderSubscriptions(deps, { graceMs: 3660 * 1000 }),
      worker.wake(),
    ]);
    await worker.stop();
    const done = await runs().findOne({ _id: run._id });
    expect(done).toMatchObject({ status: 'completed', subscriptions_done: 30, failed: 0 });
    expect(done!.renewed + swept).toBe(30);
    expect((await invoicesDue(ids)).map((events) => events.length)).toEqual(ids.map(() => 1));
  });

  test("when a run's lease is still held by another process, then the worker leaves it alone", async () => {
    const { tenantId, ids } = await providerWithDueSubscriptions(deps, 3);
    const until = new Date(Date.now() + 60_000);
    const run = await insertRun(tenantId, {
      status: 'running',
      lease: { owner: 'rrw_alive', until },
    });
    const worker = renewalRunWorker(deps, { pageSize: 10, leaseMs: 60_000 });
    await worker.wake();
    await worker.stop();
    expect(await runs().findOne({ _id: run._id })).toMatchObject({
      status: 'running',
      cursor: null,
      subscriptions_done: 0,
      lease: { owner: 'rrw_alive', until },
    });
    expect((await invoicesDue(ids)).map((events) => events.length)).toEqual([0, 0, 0]);
    // tidy: the next test's pass must not find it
    await runs().deleteOne({ _id: run._id });
  });

  test('when two runs of one provider are inserted at once, then one is stored and the other is refused', async () => {
    const tenantId = newId('ten');
    const both = await Promise.allSettled([insertRun(tenantId, {}), insertRun(tenantId, {})]);
    const stored = both.filter((r) => r.status === 'fulfilled' && r.value);
    expect(stored).toHaveLength(1);
    expect(await runs().countDocuments({ tenant_id: tenantId })).toBe(1);
    await runs().deleteMany({ tenant_id: tenantId });
  });
});
