import type { RecordUsageRequest } from '@ledgerline/contracts';
import type { TenantsDeps } from './deps';
import { getTenant } from './tenants';

/** Usage of a metric Ledgerline does not own; a repeated event id is counted once. */
export async function recordUsage(
  deps: TenantsDeps,
  tenantId: string,
  req: RecordUsageRequest,
): Promise<{ recorded: boolean }> {
  await getTenant(deps, tenantId);
  const recorded = await deps.usage.record({
    tenantId,
    metric: req.metric,
    quantity: req.quantity,
    source: 'api',
    sourceId: req.event_id,
    occurredAt: req.occurred_at ? new Date(req.occurred_at) : new Date(),
  });
  return { recorded };
}
