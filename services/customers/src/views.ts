import {
  formatMinor,
  formatRate,
  type CustomerView,
  type EntitlementDetailSnapshot,
  type EntitlementDetailView,
  type EntitlementView,
  type KamView,
  type PackagePricingView,
  type PackageView,
  type UtilityDetailView,
  type UtilityInfoView,
} from '@ledgerline/contracts';
import { isRowActive } from './domain/entitlement-rows';
import { minorOf, type StoredMinor } from './domain/invoice-projection';
import { pricingOn } from './domain/pricing';
import type { Customer } from './store/customers';
import type { DetailRow, Entitlement } from './store/entitlements';
import type { Kam } from './store/kams';
import type { Package, PackagePricing } from './store/packages';
import type { UtilityDetail, UtilityInfo } from './store/utility';

const iso = (d: Date | string) => new Date(d).toISOString();

function audit(doc: {
  created_by: string | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
}) {
  return {
    created_by: doc.created_by,
    updated_by: doc.updated_by,
    created_at: iso(doc.created_at),
    updated_at: iso(doc.updated_at),
  };
}

export function kamView(kam: Kam, assignedCustomers: number): KamView {
  return {
    id: kam._id,
    kam_name: kam.kam_name,
    phone: kam.phone,
    email: kam.email,
    address: kam.address,
    is_active: kam.is_active,
    assigned_customers_count: assignedCustomers,
    ...audit(kam),
  };
}

export function customerView(
  c: Customer,
  extra: { kamName: string | null; activeEntitlements: number },
): CustomerView {
  const own = c.totals.find((t) => t.currency === c.currency);
  // stored totals are strings of digits (numbers in older documents): exact at any size
  const money = (minor: StoredMinor, currency = c.currency) =>
    formatMinor(minorOf(minor), currency);
  return {
    id: c._id,
    customer_number: c.customer_number,
    customer_name: c.customer_name,
    company_name: c.company_name,
    email: c.email,
    phone: c.phone,
    address: c.address,
    customer_type: c.customer_type,
    kam_id: c.kam_id,
    kam_name: extra.kamName,
    contact_person: c.contact_person,
    status: c.status,
    is_active: c.is_active,
    currency: c.currency,
    remarks: c.remarks,
    total_billed: money(own?.billed_minor ?? 0),
    total_paid: money(own?.paid_minor ?? 0),
    total_due: money(own?.due_minor ?? 0),
    other_currency_totals: c.totals
      .filter((t) => t.currency !== c.currency)
      .map((t) => ({
        currency: t.currency,
        total_billed: money(t.billed_minor, t.currency),
        total_paid: money(t.paid_minor, t.currency),
        total_due: money(t.due_minor, t.currency),
      })),
    active_entitlements_count: extra.activeEntitlements,
    last_bill_invoice_date: c.last_bill_invoice_date,
    ...audit(c),
  };
}

/** An entitlement counts as active when at least one of its rows is in force today. */
export function isEntitlementActive(e: Pick<Entitlement, 'details'>, today: string): boolean {
  return e.details.some((row) => isRowActive(row, today));
}

/** What a row's view and its event both show, in this order: its package, window and state. */
function rowTerms(row: DetailRow) {
  return {
    package_master_id: row.package_master_id,
    package_pricing_id: row.package_pricing_id,
    start_date: row.start_date,
    end_date: row.end_date,
    is_active: row.is_active,
    status: row.status,
  };
}

export function detailView(
  row: DetailRow,
  parent: { entitlement_id: string; customer_id: string; currency: string },
): EntitlementDetailView {
  return {
    id: row.id,
    cust_entitlement_id: parent.entitlement_id,
    customer_id: parent.customer_id,
    type: row.type,
    bandwidth_type: row.bandwidth_type,
    mbps: row.mbps,
    unit_price:
      row.unit_price_minor === null ? null : formatMinor(row.unit_price_minor, parent.currency),
    currency: parent.currency,
    custom_mac_percentage_share:
      row.custom_mac_share === null ? null : formatRate(row.custom_mac_share),
    ...rowTerms(row),
    remarks: row.remarks,
    ...audit(row),
  };
}

export function entitlementView(
  e: Entitlement,
  opts: { customerName: string | null; today: string; withDetails: boolean },
): EntitlementView {
  const parent = { entitlement_id: e._id, customer_id: e.customer_id, currency: e.currency };
  return {
    id: e._id,
    customer_master_id: e.customer_id,
    customer_name: opts.customerName,
    bill_number: e.bill_number,
    activation_date: e.activation_date,
    nttn_company: e.nttn_company,
    nttn_capacity: e.nttn_capacity,
    total_bill: e.total_bill_minor === null ? null : formatMinor(e.total_bill_minor, e.currency),
    currency: e.currency,
    type_of_bw: e.type_of_bw,
    type_of_connection: e.type_of_connection,
    connected_pop: e.connected_pop,
    remarks: e.remarks,
    details_count: e.details.length,
    active_details_count: e.details.filter((r) => isRowActive(r, opts.today)).length,
    ...(opts.withDetails && { details: e.details.map((r) => detailView(r, parent)) }),
    ...audit(e),
  };
}

/** The event payload for a row: everything billing needs to invoice it. */
export function detailSnapshot(
  row: DetailRow,
  e: Pick<Entitlement, '_id' | 'customer_id' | 'currency' | 'bill_number'>,
): EntitlementDetailSnapshot {
  return {
    detail_id: row.id,
    entitlement_id: e._id,
    customer_id: e.customer_id,
    bill_number: e.bill_number,
    type: row.type,
    bandwidth_type: row.bandwidth_type,
    mbps: row.mbps,
    unit_price_minor: row.unit_price_minor,
    currency: e.currency,
    custom_mac_percentage_share: row.custom_mac_share,
    ...rowTerms(row),
    revision: row.revision,
  };
}

export function pricingView(p: PackagePricing): PackagePricingView {
  return {
    id: p._id,
    package_master_id: p.package_id,
    rate: formatMinor(p.rate_minor, p.currency),
    currency: p.currency,
    description: p.description,
    is_active: p.is_active,
    val_start_at: p.val_start_at,
    val_end_at: p.val_end_at,
    ...audit(p),
  };
}

export function packageView(
  pkg: Package,
  pricings: readonly PackagePricing[],
  today: string,
): PackageView {
  const windows = pricings.map((p) => ({ ...p, id: p._id }));
  const active = pricingOn(windows, today);
  return {
    id: pkg._id,
    package_name: pkg.package_name,
    package_type: pkg.package_type,
    description: pkg.description,
    mbps: pkg.mbps,
    currency: pkg.currency,
    is_active: pkg.is_active,
    active_pricing: active ? pricingView(active) : null,
    pricings: pricings.map(pricingView),
    pricings_count: pricings.length,
    ...audit(pkg),
  };
}

export function utilityDetailView(d: UtilityDetail): UtilityDetailView {
  return {
    id: d._id,
    utility_master_id: d.utility_master_id,
    type: d.type,
    name: d.name,
    number: d.number,
    account_name: d.account_name,
    branch: d.branch,
    routing_number: d.routing_number,
    is_active: d.is_active,
    remarks: d.remarks,
    ...audit(d),
  };
}

export function utilityInfoView(
  info: UtilityInfo,
  details: readonly UtilityDetail[],
): UtilityInfoView {
  const views = details.map(utilityDetailView);
  return {
    id: info._id,
    company_name: info.company_name,
    address: info.address,
    phone: info.phone,
    email: info.email,
    website: info.website,
    vat_registration_number: info.vat_registration_number,
    vat_rate: formatRate(info.vat_rate),
    invoice_footer: info.invoice_footer,
    is_active: info.is_active,
    details: views,
    active_details: views.filter((d) => d.is_active),
    ...audit(info),
  };
}
