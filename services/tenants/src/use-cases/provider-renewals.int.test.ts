import { aggregateWriter, createLogger } from '@ledgerline/platform';
import type { Connection } from 'mongoose';
import { onRealStores } from '../../../../test/support/real-stores';
import type { BatchEvent } from '../domain/usage-batches';
import { meteredUsageStore } from '../store/metered-usage';
import { providerPlanStore } from '../store/provider-plans';
import { renewalRunStore } from '../store/renewal-runs';
import { subscriptionStore, type Subscription } from '../store/subscriptions';
import { providerWithDueSubscriptions } from '../test-support/due-subscriptions';
import type { TenantsDeps } from './deps';
import { renewDueProviderSubscriptions } from './provider-renewals';
import { foldUsageBatches } from './usage-fold';

/**
 * A period is not closed while usage accepted for it is still on its way to the pre-aggregates
 * (the usage consumer lagging past the renewal's grace, e.g. Kafka away at the period's end):
 * its invoice would leave that usage out for good.
 */

jest.setTimeout(60_000);

const LATENESS_S = 3600;
const GRACE_MS = (LATENESS_S + 60) * 1000;
let deps: TenantsDeps;
let mongo: Connection;

onRealStores('renewalusage', (infra) => {
  mongo = infra.mongo;
  deps = {
    providerPlans: providerPlanStore(mongo),
    subscriptions: subscriptionStore(mongo),
    meteredUsage: meteredUsageStore(mongo),
    renewalRuns: renewalRunStore(mongo),
    usageLatenessSeconds: LATENESS_S,
    aggregates: aggregateWriter({ locks: infra.locks, writes: 'locked', publishSoon: () => {} }),
    publishSoon: () => undefined,
  } as Partial<TenantsDeps> as TenantsDeps;
});

const foldDeps = () => ({
  meteredUsage: deps.meteredUsage,
  aggregates: deps.aggregates,
  logger: createLogger('renewal-usage-test', 'silent'),
});

/** What the ingestion stores for one accepted request: the unfolded record, then the batch. */
async function acceptBatch(
  tenantId: string,
  subscriptionId: string,
  receivedAt: Date,
  opts: { stored?: boolean } = {},
) {
  const id = `ub_${subscriptionId}_${receivedAt.getTime()}`;
  const event: BatchEvent = {
    transaction_id: `tx_${id}`,
    subscription_id: subscriptionId,
    metric: 'storage',
    aggregation: 'sum',
    timestamp: receivedAt.toISOString(),
    value: '2',
    period_start: receivedAt.toISOString(),
  };
  await deps.meteredUsage.unfolded.add({
    _id: id,
    tenant_id: tenantId,
    subscription_ids: [subscriptionId],
    received_at: receivedAt,
  });
  if (opts.stored !== false)
    await deps.meteredUsage.insertBatch(
      {
        _id: id,
        tenant_id: tenantId,
        received_at: receivedAt,
        events: [event],
        created_by: null,
        updated_by: null,
      },
      [],
    );
  return { tenant_id: tenantId, batch_id: id };
}

/** Each subscription's current period start (moved by a renewal). */
async function periodStarts(ids: string[]) {
  const docs = await mongo
    .collection<Subscription>('subscriptions')
    .find({ _id: { $in: ids } })
    .toArray();
  return ids.map((id) => docs.find((d) => d._id === id)!.current_period_start.toISOString());
}

const unfoldedIds = async (tenantId: string) =>
  (await mongo.collection('usage_unfolded').find({ tenant_id: tenantId }).toArray()).map(
    (d) => d._id,
  );

describe('renewals and usage not folded yet', () => {
  test("when a batch accepted before the period's end is not folded yet, then the sweep renews the other subscriptions and this one once the batch is folded", async () => {
    const { tenantId, ids, periodEnd } = await providerWithDueSubscriptions(deps, 2);
    const start = (await periodStarts(ids))[0]!;
    const batch = await acceptBatch(tenantId, ids[0]!, new Date(periodEnd.getTime() - 60_000));

    expect(await renewDueProviderSubscriptions(deps, { graceMs: GRACE_MS })).toBe(1);
    expect(await periodStarts(ids)).toEqual([start, periodEnd.toISOString()]);

    await foldUsageBatches(foldDeps(), [batch]);
    expect(await unfoldedIds(tenantId)).toEqual([]);
    expect(await renewDueProviderSubscriptions(deps, { graceMs: GRACE_MS })).toBe(1);
    expect(await periodStarts(ids)).toEqual([periodEnd.toISOString(), periodEnd.toISOString()]);
  });

  test('when the unfolded record names a batch that was never stored (a crash between the two inserts), then the renewal drops the record and renews', async () => {
    const { tenantId, ids, periodEnd } = await providerWithDueSubscriptions(deps, 1);
    await acceptBatch(tenantId, ids[0]!, new Date(periodEnd.getTime() - 60_000), {
      stored: false,
    });

    expect(await renewDueProviderSubscriptions(deps, { graceMs: GRACE_MS })).toBe(1);
    expect(await periodStarts(ids)).toEqual([periodEnd.toISOString()]);
    expect(await unfoldedIds(tenantId)).toEqual([]);
  });

  test("when the only batch not folded yet came after the period's end plus the lateness window, then it cannot hold the period's usage and the renewal goes ahead", async () => {
    const { tenantId, ids, periodEnd } = await providerWithDueSubscriptions(deps, 1);
    const after = new Date(periodEnd.getTime() + LATENESS_S * 1000 + 1000);
    const batch = await acceptBatch(tenantId, ids[0]!, after);

    expect(await renewDueProviderSubscriptions(deps, { graceMs: GRACE_MS })).toBe(1);
    expect(await periodStarts(ids)).toEqual([periodEnd.toISOString()]);
    expect(await unfoldedIds(tenantId)).toEqual([batch.batch_id]);
  });
});
