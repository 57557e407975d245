import { setBounded } from '@ledgerline/platform';
import type { PlanVersion } from '../store/provider-plans';
import type { TenantsDeps } from './deps';

/**
 * A plan version's terms never change once written (a change of terms appends a new version), so
 * usage ingestion and reads, which need them on every request, keep the ones they have read:
 * at most this many, the oldest dropped first. Plans themselves (name, code, is_active) are still
 * read from the store wherever they matter.
 */
const KEPT = 2000;
const versions = new Map<string, PlanVersion>();

export async function planVersionOf(
  deps: Pick<TenantsDeps, 'providerPlans'>,
  tenantId: string,
  planId: string,
  version: number,
): Promise<PlanVersion | undefined> {
  const key = `${tenantId}:${planId}:${version}`;
  const known = versions.get(key);
  if (known) return known;
  const plan = await deps.providerPlans.findPlanById(tenantId, planId);
  const found = plan?.versions.find((v) => v.version === version);
  if (!found) return undefined;
  setBounded(versions, key, found, KEPT);
  return found;
}
