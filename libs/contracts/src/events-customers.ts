import { z } from 'zod';
import { defineEvent } from './events-define';
import { currencySchema } from './money';
import {
  BANDWIDTH_TYPES,
  CUSTOMER_STATUSES,
  CUSTOMER_TYPES,
  DETAIL_STATUSES,
} from './api/customers';

/**
 * Events of the customers service (customers, entitlements, packages). Add entries with
 * defineEvent(); they join the one EVENTS catalogue in events.ts.
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

const customerEvent = () =>
  defineEvent({
    topic: 'customers',
    version: 1,
    schema: customerSnapshot,
    key: (d) => d.customer_id,
  });

// Keyed by entitlement: its rows live in one document, so their events leave in write order.
const detailEvent = () =>
  defineEvent({
    topic: 'customers',
    version: 1,
    schema: entitlementDetailSnapshot,
    key: (d) => d.entitlement_id,
  });

export const CUSTOMER_EVENTS = {
  CustomerCreated: customerEvent(),
  CustomerUpdated: customerEvent(),
  CustomerDeleted: customerEvent(),
  EntitlementDetailCreated: detailEvent(),
  EntitlementDetailUpdated: detailEvent(),
  EntitlementDetailDeleted: detailEvent(),
} as const;
