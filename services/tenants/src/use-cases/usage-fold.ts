import type { AggregateWriter, Logger } from '@ledgerline/platform';
import {
  countedEvents,
  emptyTotals,
  fetchMarkers,
  foldContributions,
  groupContributions,
  markerOwners,
  type StoredBatch,
  type TotalsGroup,
} from '../domain/usage-batches';
import type { MeteredUsageStore, UsageMarker, UsageTotals } from '../store/metered-usage';

export interface UsageFoldDeps {
  meteredUsage: MeteredUsageStore;
  aggregates: AggregateWriter;
  logger: Logger;
}

/** Folds one group into its pre-aggregate, inserting the document first when it is missing. */
async function applyGroup(deps: UsageFoldDeps, group: TotalsGroup): Promise<void> {
  const insert = () =>
    deps.meteredUsage.insertTotals({
      _id: group.id,
      tenant_id: group.tenant_id,
      subscription_id: group.subscription_id,
      metric: group.metric,
      period_start: new Date(group.period_start),
      version: 1,
      ...emptyTotals(group.aggregation),
    });
  await deps.aggregates.changeOrInsert<UsageTotals>(
    deps.meteredUsage.totalsAggregate,
    { id: group.id, tenantId: group.tenant_id },
    insert,
    (current) => {
      const next = foldContributions(current, group);
      if (!next) return undefined;
      if (next.skipped_events !== (current.skipped_events ?? 0))
        deps.logger.warn(
          { totals: group.id, skipped: next.skipped_events },
          'usage events of another aggregation than the period started with were not folded',
        );
      return { set: next };
    },
  );
}

/**
 * The usage consumer's work for the UsageBatchRecorded events of one fetch, in offset order:
 * (a) one marker per event (the first of each id in the fetch), in unordered inserts of 500 run
 * at once: an event counts when its marker is new, or when the marker refused is its own batch's
 * (a redelivery after a crash before step b ended);
 * (b) what counts, grouped per subscription, metric and period, folded into one pre-aggregate
 * each through the aggregate primitive, which skips batches it has applied already;
 * (c) the batches' unfolded records removed. Replaying the whole of it changes nothing.
 */
export async function foldUsageBatches(
  deps: UsageFoldDeps,
  refs: readonly { tenant_id: string; batch_id: string }[],
): Promise<void> {
  const t0 = performance.now();
  const found = await Promise.all(refs.map((r) => deps.meteredUsage.findBatch(r.batch_id)));
  const t1 = performance.now();
  // a batch gone is a deleted tenant's: nothing left to count
  const batches: StoredBatch[] = found.filter(
    (b, i): b is NonNullable<typeof b> => b !== null && b.tenant_id === refs[i]!.tenant_id,
  );
  const { firsts, later } = fetchMarkers(batches);
  const markers: UsageMarker[] = firsts.map(({ _id, batch_id, tenant_id, event: e }) => ({
    _id,
    tenant_id,
    batch_id,
    subscription_id: e.subscription_id,
    metric: e.metric,
    period_start: new Date(e.period_start),
    timestamp: new Date(e.timestamp),
    value: e.value,
  }));
  const refused = await deps.meteredUsage.insertMarkers(markers);
  const t2 = performance.now();
  const stored = await deps.meteredUsage.batchesOfMarkers(refused);
  const t3 = performance.now();
  const owners = markerOwners(refused, stored, later);
  const groups = groupContributions(countedEvents(batches, owners));
  await Promise.all(groups.map((g) => applyGroup(deps, g)));
  // folded (or gone with their tenant): a renewal no longer waits for them
  await deps.meteredUsage.unfolded.remove(refs.map((r) => r.batch_id));
  const t4 = performance.now();
  const ms = (from: number, to: number) => Math.round(to - from);
  deps.logger.debug(
    {
      batches: batches.length,
      events: markers.length,
      groups: groups.length,
      ms: { read: ms(t0, t1), markers: ms(t1, t2), owners: ms(t2, t3), totals: ms(t3, t4) },
    },
    'usage batches folded',
  );
}
