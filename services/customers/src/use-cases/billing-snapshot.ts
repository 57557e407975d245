import type { EntitlementBillingSnapshot } from '@ledgerline/contracts';
import { customerSnapshot, pricingSnapshot, utilitySnapshot } from '../domain/snapshots';
import type { UtilityInfo } from '../store/utility';
import { detailSnapshot } from '../views';
import type { CustomersDeps } from './context';

/** The utility information an invoice takes its VAT from: the named one, else the oldest active. */
async function utilityOf(
  deps: Pick<CustomersDeps, 'utility'>,
  tenantId: string,
  infoId: string | undefined,
): Promise<UtilityInfo | null> {
  const named = infoId ? await deps.utility.findInfo(tenantId, infoId) : null;
  if (named) return named;
  // billing's copy picks the same one: the lowest id among the active ones
  return deps.utility.infos
    .findOne({ tenant_id: tenantId, deleted_at: null, is_active: true }, { _outbox: 0 })
    .sort({ _id: 1 })
    .lean<UtilityInfo>();
}

/**
 * What billing needs to invoice one entitlement, read now (billing's auto_generate must bill
 * current data); null when the tenant has no such live entitlement.
 */
export async function entitlementBillingSnapshot(
  deps: Pick<CustomersDeps, 'customers' | 'entitlements' | 'packages' | 'utility'>,
  tenantId: string,
  entitlementId: string,
  infoId?: string,
): Promise<EntitlementBillingSnapshot | null> {
  const e = await deps.entitlements.findById(tenantId, entitlementId);
  if (!e) return null;
  const packages = [
    ...new Set(e.details.map((r) => r.package_master_id).filter((p): p is string => !!p)),
  ];
  const [customer, pricings, utility] = await Promise.all([
    deps.customers.findById(tenantId, e.customer_id),
    deps.packages.pricingsOf(tenantId, packages),
    utilityOf(deps, tenantId, infoId),
  ]);
  return {
    entitlement_id: e._id,
    customer_id: e.customer_id,
    currency: e.currency,
    bill_number: e.bill_number,
    customer: customer && customerSnapshot(customer),
    details: e.details.map((row) => detailSnapshot(row, e)),
    pricings: pricings.map(pricingSnapshot),
    utility: utility && utilitySnapshot(utility, false),
  };
}

/** Which of these entitlement rows (invoice lines name them) the tenant has, live. */
export async function existingDetails(
  deps: Pick<CustomersDeps, 'entitlements'>,
  tenantId: string,
  detailIds: string[],
): Promise<Record<string, boolean>> {
  const unique = [...new Set(detailIds)];
  const found = await Promise.all(
    unique.map(async (id) => (await deps.entitlements.findByDetailId(tenantId, id)) !== null),
  );
  return Object.fromEntries(unique.map((id, i) => [id, found[i]!]));
}
