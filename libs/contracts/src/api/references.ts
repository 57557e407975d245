/**
 * The customers service's internal answer on which ids exist in a tenant
 * (`GET /internal/tenants/{tenant}/references`): asked by the services whose requests name a
 * customer, an entitlement or utility information, for ids their own copies do not hold yet.
 */
export interface ReferenceIds {
  customer_id?: string;
  entitlement_id?: string;
  utility_info_id?: string;
}

/** Per id asked: whether it exists in the tenant (null: not asked). */
export type ReferenceAnswer = Record<keyof ReferenceIds, boolean | null>;
