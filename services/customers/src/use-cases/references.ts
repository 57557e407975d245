import type { CustomersDeps } from './context';

/** Ids another service holds on behalf of a tenant (an invoice's customer, entitlement, utility). */
export interface ReferenceQuery {
  customer_id?: string;
  entitlement_id?: string;
  utility_info_id?: string;
}

/**
 * Which of the named objects exist in the tenant (not deleted): billing asks when its own copies,
 * kept from events, do not hold an id yet (the object may be seconds old).
 */
export async function existingReferences(
  deps: Pick<CustomersDeps, 'customers' | 'entitlements' | 'utility'>,
  tenantId: string,
  query: ReferenceQuery,
): Promise<Record<keyof ReferenceQuery, boolean | null>> {
  const exists = async (id: string | undefined, find: (id: string) => Promise<unknown>) =>
    id === undefined ? null : (await find(id)) !== null;
  const [customer, entitlement, utility] = await Promise.all([
    exists(query.customer_id, (id) => deps.customers.findById(tenantId, id)),
    exists(query.entitlement_id, (id) => deps.entitlements.findById(tenantId, id)),
    exists(query.utility_info_id, (id) => deps.utility.findInfo(tenantId, id)),
  ]);
  return { customer_id: customer, entitlement_id: entitlement, utility_info_id: utility };
}
