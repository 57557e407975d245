/**
 * The customers service's internal answer on which ids exist in a tenant
 * (`GET /internal/tenants/{tenant}/references`): asked by the services whose requests name a
 * customer, an entitlement, utility information or entitlement rows, for ids their own copies do
 * not hold yet.
 */
export interface ReferenceIds {
  customer_id?: string;
  entitlement_id?: string;
  utility_info_id?: string;
  /** Entitlement rows, named by invoice lines. */
  entitlement_details_ids?: string[];
}
type SingleName = Exclude<keyof ReferenceIds, 'entitlement_details_ids'>;
/** Per id asked: whether it exists in the tenant (null: not asked); per row id likewise. */
export type ReferenceAnswer = Record<SingleName, boolean | null> & {
  entitlement_details?: Record<string, boolean> | null;
};
