import { z } from 'zod';
import { eventV1 } from './events-define';
import { currencySchema } from './money';
import {
  BANDWIDTH_TYPES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  DETAIL_STATUSES,
} from './api/customers';

/**
 * Events of the customers service (customers, entitlements, packages). Add entries with
 * eventV1() (defineEvent() for a later version); they join the one EVENTS catalogue in events.ts.
 *
 * Every event carries a full snapshot of its object and a `revision` that grows with each change,
 * so a consumer keeps a projection by replacing what it holds with a higher revision and ignoring
 * anything else (replays, duplicates).
 */

const id = z.string().min(1);
const isoDate = z.iso.date();

const customerSnapshot = z.object({
  customer_id: id,
  customer_number: z.string().nullable(),
  customer_name: z.string(),
  customer_type: z.enum(CUSTOMER_TYPES),
  status: z.enum(CUSTOMER_STATUSES),
  is_active: z.boolean(),
  currency: currencySchema,
  kam_id: z.string().nullable(),
  email: z.string().nullable(),
  revision: z.number().int().positive(),
});
export type CustomerSnapshot = z.infer<typeof customerSnapshot>;

/**
 * One priced row of an entitlement: what billing needs to generate invoices. Money in integer
 * minor units of `currency` (the customer's), the partner share in hundredths of a percent.
 */
const entitlementDetailSnapshot = z.object({
  detail_id: id,
  entitlement_id: id,
  customer_id: id,
  bill_number: z.string().nullable(),
  type: z.enum(CUSTOMER_TYPES),
  bandwidth_type: z.enum(BANDWIDTH_TYPES).nullable(),
  mbps: z.number().int().positive().nullable(),
  unit_price_minor: z.number().int().nullable(),
  currency: currencySchema,
  /** Hundredths of a percent: 4550 = 45.50 %. */
  custom_mac_percentage_share: z.number().int().min(0).max(10_000).nullable(),
  package_master_id: z.string().nullable(),
  package_pricing_id: z.string().nullable(),
  start_date: isoDate,
  end_date: isoDate.nullable(),
  is_active: z.boolean(),
  status: z.enum(DETAIL_STATUSES),
  revision: z.number().int().positive(),
});
export type EntitlementDetailSnapshot = z.infer<typeof entitlementDetailSnapshot>;

const customerEvent = () => eventV1('customers', customerSnapshot, (d) => d.customer_id);

// Keyed by entitlement: its rows live in one document, so their events leave in write order.
const detailEvent = () => eventV1('customers', entitlementDetailSnapshot, (d) => d.entitlement_id);

/**
 * A package pricing (seed 002): what billing needs to price soho rows for a billing period.
 * `deleted` marks the last snapshot of a removed pricing (its revision still grows).
 */
const packagePricingSnapshot = z.object({
  pricing_id: id,
  package_id: id,
  rate_minor: z.number().int().min(0),
  currency: currencySchema,
  is_active: z.boolean(),
  val_start_at: isoDate,
  val_end_at: isoDate.nullable(),
  deleted: z.boolean(),
  revision: z.number().int().positive(),
});
export type PackagePricingSnapshot = z.infer<typeof packagePricingSnapshot>;

/** The tenant's utility information: billing takes an invoice's default VAT rate from it. */
const utilityInfoSnapshot = z.object({
  info_id: id,
  company_name: z.string(),
  /** Hundredths of a percent: 1500 = 15.00 %. */
  vat_rate: z.number().int().min(0).max(10_000),
  is_active: z.boolean(),
  deleted: z.boolean(),
  revision: z.number().int().positive(),
});
export type UtilityInfoSnapshot = z.infer<typeof utilityInfoSnapshot>;

export const CUSTOMER_EVENTS = {
  CustomerCreated: customerEvent(),
  CustomerUpdated: customerEvent(),
  CustomerDeleted: customerEvent(),
  EntitlementDetailCreated: detailEvent(),
  EntitlementDetailUpdated: detailEvent(),
  EntitlementDetailDeleted: detailEvent(),
  // keyed by package: a package's pricings change under its lock, so they leave in write order
  PackagePricingChanged: eventV1('customers', packagePricingSnapshot, (d) => d.package_id),
  UtilityInfoChanged: eventV1('customers', utilityInfoSnapshot, (d) => d.info_id),
} as const;
