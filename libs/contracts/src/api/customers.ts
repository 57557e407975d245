import { z } from 'zod';
import { amountInputSchema, currencySchema, rateInputSchema } from '../money';
import { auditFields, dateInput, idInput } from './common';
import { component } from '../component';

/**
 * Request and response schemas of the customers service (seed 002 CUSTOMERS and PACKAGE; UTILITY
 * in ./utility.ts).
 */

export const CUSTOMER_TYPES = ['bw', 'channel_partner', 'soho'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const CUSTOMER_STATUSES = ['active', 'inactive', 'suspended'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export const BANDWIDTH_TYPES = ['ipt', 'gcc', 'cdn', 'nix', 'baishan', 'other'] as const;
export type BandwidthType = (typeof BANDWIDTH_TYPES)[number];
export const DETAIL_STATUSES = ['active', 'inactive', 'suspended', 'terminated'] as const;
export type DetailStatus = (typeof DETAIL_STATUSES)[number];
export const UTILITY_TYPES = ['bank', 'bkash', 'nagad'] as const;
export type UtilityType = (typeof UTILITY_TYPES)[number];

/** E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +8801711111111');

export const emailSchema = z
  .email('must be a valid email address')
  .max(254)
  .transform((e) => e.toLowerCase());

const text = (max: number) => z.string().trim().max(max).nullable().optional();
const name = (max: number) => z.string().trim().min(1).max(max);
/** Bandwidth is sold in whole megabits per second. */
const mbps = z.number().int('must be a whole number of Mbps').positive('must be positive');

// ---------------------------------------------------------------- KAM masters

export const kamRequest = component(
  'KamCreate',
  z.object({
    kam_name: name(200),
    phone: phoneSchema.nullable().optional(),
    email: emailSchema.nullable().optional(),
    address: text(500),
    is_active: z.boolean().optional(),
  }),
);
export type KamRequest = z.infer<typeof kamRequest>;
export const kamPatchRequest = kamRequest.partial();
export type KamPatchRequest = z.infer<typeof kamPatchRequest>;

export const kamView = component(
  'Kam',
  z.object({
    id: z.string(),
    kam_name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    is_active: z.boolean(),
    assigned_customers_count: z.number().int(),
    ...auditFields,
  }),
);
export type KamView = z.infer<typeof kamView>;

// ---------------------------------------------------------------- customers

export const customerRequest = component(
  'CustomerCreate',
  z.object({
    customer_name: name(200),
    company_name: text(200),
    email: emailSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
    address: text(500),
    customer_type: z.enum(CUSTOMER_TYPES),
    kam_id: idInput.nullable().optional(),
    /** Unique within the tenant; two tenants may use the same number. */
    customer_number: z.string().trim().min(1).max(64).nullable().optional(),
    contact_person: text(200),
    status: z.enum(CUSTOMER_STATUSES).optional(),
    is_active: z.boolean().optional(),
    /** ISO 4217; entitlement prices and invoices of the customer are in it. */
    currency: currencySchema.optional(),
    remarks: text(1000),
  }),
);
export type CustomerRequest = z.infer<typeof customerRequest>;
export const customerPatchRequest = customerRequest.partial();
export type CustomerPatchRequest = z.infer<typeof customerPatchRequest>;

const money = z.string().describe('decimal string with the currency’s minor digits');

export const currencyTotalsView = component(
  'CurrencyTotals',
  z.object({
    currency: z.string(),
    total_billed: money,
    total_paid: money,
    total_due: money,
  }),
);

export const customerView = component(
  'Customer',
  z.object({
    id: z.string(),
    customer_number: z.string().nullable(),
    customer_name: z.string(),
    company_name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    customer_type: z.enum(CUSTOMER_TYPES),
    kam_id: z.string().nullable(),
    kam_name: z.string().nullable(),
    contact_person: z.string().nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    is_active: z.boolean(),
    currency: z.string(),
    remarks: z.string().nullable(),
    total_billed: money,
    total_paid: money,
    total_due: money,
    /** Invoices of this customer in other currencies than its own, summed per currency. */
    other_currency_totals: z.array(currencyTotalsView),
    active_entitlements_count: z.number().int(),
    last_bill_invoice_date: z.string().nullable(),
    ...auditFields,
  }),
);
export type CustomerView = z.infer<typeof customerView>;

// ---------------------------------------------------------------- entitlements

export const entitlementRequest = component(
  'EntitlementCreate',
  z.object({
    customer_master_id: idInput,
    bill_number: z.string().trim().min(1).max(64).nullable().optional(),
    activation_date: dateInput.nullable().optional(),
    nttn_company: text(200),
    nttn_capacity: text(100),
    total_bill: amountInputSchema.nullable().optional(),
    type_of_bw: text(100),
    type_of_connection: text(100),
    connected_pop: text(200),
    remarks: text(1000),
  }),
);
export type EntitlementRequest = z.infer<typeof entitlementRequest>;
export const entitlementPatchRequest = entitlementRequest.partial();
export type EntitlementPatchRequest = z.infer<typeof entitlementPatchRequest>;

const detailCommon = {
  start_date: dateInput,
  /** Open-ended when absent or null. */
  end_date: dateInput.nullable().optional(),
  is_active: z.boolean().optional(),
  status: z.enum(DETAIL_STATUSES).optional(),
  remarks: text(1000),
};

export const bandwidthDetailInput = z.object({
  bandwidth_type: z.enum(BANDWIDTH_TYPES),
  mbps,
  unit_price: amountInputSchema,
  ...detailCommon,
});
export const channelPartnerDetailInput = z.object({
  mbps,
  unit_price: amountInputSchema,
  /** Percentage (0–100, at most 2 decimals) of the revenue shared with the partner. */
  custom_mac_percentage_share: rateInputSchema,
  ...detailCommon,
});
export const sohoDetailInput = z.object({
  package_master_id: idInput,
  /** When absent, the package pricing valid on start_date is used. */
  package_pricing_id: idInput.nullable().optional(),
  mbps: mbps.nullable().optional(),
  /** When absent, the pricing's rate. */
  unit_price: amountInputSchema.nullable().optional(),
  ...detailCommon,
});

/** Seed 002 bulk creation: one list, matching the customer's type. All rows or none are written. */
export const bulkEntitlementDetailsRequest = component(
  'EntitlementDetailsCreate',
  z.object({
    entitlement_master_id: idInput.optional(),
    bandwidth_details: z.array(bandwidthDetailInput).max(500).optional(),
    channel_partner_details: z.array(channelPartnerDetailInput).max(500).optional(),
    soho_details: z.array(sohoDetailInput).max(500).optional(),
  }),
);
export type BulkEntitlementDetailsRequest = z.infer<typeof bulkEntitlementDetailsRequest>;

/** Every field a detail row can carry, each optional: what a single create or a patch may send. */
export const entitlementDetailFields = z.object({
  type: z.enum(CUSTOMER_TYPES).optional(),
  bandwidth_type: z.enum(BANDWIDTH_TYPES).nullable().optional(),
  mbps: mbps.nullable().optional(),
  unit_price: amountInputSchema.nullable().optional(),
  custom_mac_percentage_share: rateInputSchema.nullable().optional(),
  package_master_id: idInput.nullable().optional(),
  package_pricing_id: idInput.nullable().optional(),
  start_date: dateInput.optional(),
  end_date: dateInput.nullable().optional(),
  is_active: z.boolean().optional(),
  status: z.enum(DETAIL_STATUSES).optional(),
  remarks: text(1000),
});
export type EntitlementDetailFields = z.infer<typeof entitlementDetailFields>;

export const createEntitlementDetailRequest = component(
  'EntitlementDetailCreate',
  entitlementDetailFields.extend({
    /** The entitlement (seed 002 filters by `cust_entitlement_id`; `entitlement_master_id` also accepted). */
    cust_entitlement_id: idInput.optional(),
    entitlement_master_id: idInput.optional(),
  }),
);
export type CreateEntitlementDetailRequest = z.infer<typeof createEntitlementDetailRequest>;

export const entitlementDetailView = component(
  'EntitlementDetail',
  z.object({
    id: z.string(),
    cust_entitlement_id: z.string(),
    customer_id: z.string(),
    type: z.enum(CUSTOMER_TYPES),
    bandwidth_type: z.enum(BANDWIDTH_TYPES).nullable(),
    mbps: z.number().nullable(),
    unit_price: money.nullable(),
    currency: z.string(),
    custom_mac_percentage_share: z.string().nullable(),
    package_master_id: z.string().nullable(),
    package_pricing_id: z.string().nullable(),
    start_date: z.string(),
    end_date: z.string().nullable(),
    is_active: z.boolean(),
    status: z.enum(DETAIL_STATUSES),
    remarks: z.string().nullable(),
    ...auditFields,
  }),
);
export type EntitlementDetailView = z.infer<typeof entitlementDetailView>;

export const entitlementView = component(
  'Entitlement',
  z.object({
    id: z.string(),
    customer_master_id: z.string(),
    customer_name: z.string().nullable(),
    bill_number: z.string().nullable(),
    activation_date: z.string().nullable(),
    nttn_company: z.string().nullable(),
    nttn_capacity: z.string().nullable(),
    total_bill: money.nullable(),
    currency: z.string(),
    type_of_bw: z.string().nullable(),
    type_of_connection: z.string().nullable(),
    connected_pop: z.string().nullable(),
    remarks: z.string().nullable(),
    details_count: z.number().int(),
    active_details_count: z.number().int(),
    /** Present on the single-entitlement answer. */
    details: z.array(entitlementDetailView).optional(),
    ...auditFields,
  }),
);
export type EntitlementView = z.infer<typeof entitlementView>;

export const bandwidthTypesView = component(
  'BandwidthTypes',
  z.object(
    Object.fromEntries(BANDWIDTH_TYPES.map((t) => [t, z.array(entitlementDetailView)])) as Record<
      BandwidthType,
      z.ZodArray<typeof entitlementDetailView>
    >,
  ),
);

// ---------------------------------------------------------------- packages

export const packageRequest = component(
  'PackageCreate',
  z.object({
    package_name: name(200),
    package_type: z.enum(CUSTOMER_TYPES),
    description: text(1000),
    mbps: mbps.nullable().optional(),
    currency: currencySchema.optional(),
    is_active: z.boolean().optional(),
  }),
);
export type PackageRequest = z.infer<typeof packageRequest>;
export const packagePatchRequest = packageRequest.partial();
export type PackagePatchRequest = z.infer<typeof packagePatchRequest>;

export const packagePricingRequest = component(
  'PackagePricingCreate',
  z.object({
    package_master_id: idInput,
    rate: amountInputSchema,
    description: text(1000),
    is_active: z.boolean().optional(),
    val_start_at: dateInput,
    /** Open-ended when absent or null. */
    val_end_at: dateInput.nullable().optional(),
  }),
);
export type PackagePricingRequest = z.infer<typeof packagePricingRequest>;
export const packagePricingPatchRequest = packagePricingRequest.partial();
export type PackagePricingPatchRequest = z.infer<typeof packagePricingPatchRequest>;

export const packagePricingView = component(
  'PackagePricing',
  z.object({
    id: z.string(),
    package_master_id: z.string(),
    rate: money,
    currency: z.string(),
    description: z.string().nullable(),
    is_active: z.boolean(),
    val_start_at: z.string(),
    val_end_at: z.string().nullable(),
    ...auditFields,
  }),
);
export type PackagePricingView = z.infer<typeof packagePricingView>;

export const packageView = component(
  'Package',
  z.object({
    id: z.string(),
    package_name: z.string(),
    package_type: z.enum(CUSTOMER_TYPES),
    description: z.string().nullable(),
    mbps: z.number().nullable(),
    currency: z.string(),
    is_active: z.boolean(),
    active_pricing: packagePricingView.nullable(),
    pricings: z.array(packagePricingView),
    pricings_count: z.number().int(),
    ...auditFields,
  }),
);
export type PackageView = z.infer<typeof packageView>;
