import type {
  CustomerSnapshot,
  PackagePricingSnapshot,
  UtilityInfoSnapshot,
} from '@ledgerline/contracts';
import type { Customer } from '../store/customers';
import type { PackagePricing } from '../store/packages';
import type { UtilityInfo } from '../store/utility';

/**
 * What other services keep of customers' data: the body of the snapshot events and of the
 * internal answers they ask for when their copies miss (one shape for both).
 */
export function customerSnapshot(c: Customer): CustomerSnapshot {
  return {
    customer_id: c._id,
    customer_number: c.customer_number,
    customer_name: c.customer_name,
    customer_type: c.customer_type,
    status: c.status,
    is_active: c.is_active,
    currency: c.currency,
    kam_id: c.kam_id,
    email: c.email,
    revision: c.revision,
  };
}

export function pricingSnapshot(p: PackagePricing): PackagePricingSnapshot {
  return {
    pricing_id: p._id,
    package_id: p.package_id,
    rate_minor: p.rate_minor,
    currency: p.currency,
    is_active: p.is_active,
    val_start_at: p.val_start_at,
    val_end_at: p.val_end_at,
    deleted: p.deleted_at !== null,
    revision: p.revision,
  };
}

export function utilitySnapshot(info: UtilityInfo, deleted: boolean): UtilityInfoSnapshot {
  return {
    info_id: info._id,
    company_name: info.company_name,
    vat_rate: info.vat_rate,
    is_active: info.is_active,
    deleted,
    revision: info.revision,
  };
}
