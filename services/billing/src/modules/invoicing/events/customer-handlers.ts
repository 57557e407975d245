import type { EventEnvelope } from '@ledgerline/contracts';
import type { EventHandlers } from '@ledgerline/platform';
import type { EntitlementProjection } from '../store/entitlements';

type DetailEvent = EventEnvelope<
  'EntitlementDetailCreated' | 'EntitlementDetailUpdated' | 'EntitlementDetailDeleted'
>;

/**
 * Keeps billing's projection of entitlement details, package pricings and utility VAT from the
 * customers service's snapshot events (highest revision wins; deletions stay as tombstones).
 */
export function customerHandlers(deps: { projection: EntitlementProjection }): EventHandlers {
  const { projection } = deps;
  const detail = (deleted: boolean) => async (event: DetailEvent) => {
    const { revision, ...d } = event.data;
    const _id = `${event.tenant_id}:${d.detail_id}`;
    await projection.putDetail({ ...d, _id, tenant_id: event.tenant_id, deleted, revision });
  };
  return {
    EntitlementDetailCreated: detail(false),
    EntitlementDetailUpdated: detail(false),
    EntitlementDetailDeleted: detail(true),
    PackagePricingChanged: async (event) => {
      const _id = `${event.tenant_id}:${event.data.pricing_id}`;
      await projection.putPricing({ ...event.data, _id, tenant_id: event.tenant_id });
    },
    UtilityInfoChanged: async (event) => {
      const _id = `${event.tenant_id}:${event.data.info_id}`;
      await projection.putUtility({ ...event.data, _id, tenant_id: event.tenant_id });
    },
  };
}
