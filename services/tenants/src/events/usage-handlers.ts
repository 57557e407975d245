import { inBatches, ownMarker, type EventHandlers } from '@ledgerline/platform';
import { foldUsageBatches, type UsageFoldDeps } from '../use-cases/usage-fold';

/**
 * The usage consumer group (USAGE_CONSUMER_GROUP_ID): a fetch's UsageBatchRecorded events are
 * folded together (one marker insert, one change per pre-aggregate); each effect carries its own
 * marker (usage_events ids, the pre-aggregates' applied batch ids), so no processed-event
 * marker is looked up or written. TenantDeleted, keyed by tenant like the batches and so after
 * all of them, removes the provider's usage.
 */
export function usageHandlers(deps: UsageFoldDeps): EventHandlers {
  const fold = (events: { data: { tenant_id: string; batch_id: string } }[]) =>
    foldUsageBatches(
      deps,
      events.map((e) => e.data),
    );
  return {
    UsageBatchRecorded: inBatches(async (event) => fold([event]), fold),
    TenantDeleted: ownMarker(async (event) => {
      await deps.meteredUsage.removeTenant(event.data.tenant_id);
    }),
  };
}
