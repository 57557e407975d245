import { Schema } from 'mongoose';
import {
  auditSchemaFields,
  tenantDocumentSchema,
  type Audited,
  type OutboxFields,
  type TenantDocument,
} from '@ledgerline/platform';
import type { DetailRowFields } from '../domain/entitlement-rows';

/** The entitlement document: an entitlement and its priced rows, one aggregate. */

/** One priced row of an entitlement (seed 002's "entitlement detail"). */
export interface DetailRow extends DetailRowFields, Audited {
  id: string;
  /** Order of creation within the entitlement (rows of one bulk request share a timestamp). */
  seq: number;
  /** Grows with every change of this row; carried by its events. */
  revision: number;
}

/**
 * An entitlement with its detail rows inside. Keeping the rows in their entitlement's document
 * makes a bulk creation one single-document write: all rows or none, on MongoDB and FerretDB
 * alike, with their events in the same write (see docs/customers.md).
 */
export interface Entitlement extends TenantDocument {
  customer_id: string;
  bill_number: string | null;
  activation_date: string | null;
  nttn_company: string | null;
  nttn_capacity: string | null;
  total_bill_minor: number | null;
  /** The customer's currency when the entitlement was made (it cannot change while one exists). */
  currency: string;
  type_of_bw: string | null;
  type_of_connection: string | null;
  connected_pop: string | null;
  remarks: string | null;
  details: DetailRow[];
  /** The seq the next row gets. */
  next_row_seq: number;
  version: number;
  deleted_at: Date | null;
  /** Rows a dunning final action suspended, per overdue invoice (issue 17): what paying restores. */
  dunning_suspensions?: { invoice_id: string; rows: string[] }[];
}

export type EntitlementDoc = Entitlement & OutboxFields;

const detailSchema = new Schema<DetailRow>(
  {
    id: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, required: true },
    bandwidth_type: { type: String, default: null },
    mbps: { type: Number, default: null },
    unit_price_minor: { type: Number, default: null },
    custom_mac_share: { type: Number, default: null },
    package_master_id: { type: String, default: null },
    package_pricing_id: { type: String, default: null },
    start_date: { type: String, required: true },
    end_date: { type: String, default: null },
    is_active: { type: Boolean, required: true },
    status: { type: String, required: true },
    remarks: { type: String, default: null },
    revision: { type: Number, required: true },
    ...auditSchemaFields,
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { _id: false },
);

export const entitlementSchema = tenantDocumentSchema<EntitlementDoc>(
  {
    customer_id: { type: String, required: true },
    bill_number: { type: String, default: null },
    activation_date: { type: String, default: null },
    nttn_company: { type: String, default: null },
    nttn_capacity: { type: String, default: null },
    total_bill_minor: { type: Number, default: null },
    currency: { type: String, required: true },
    type_of_bw: { type: String, default: null },
    type_of_connection: { type: String, default: null },
    connected_pop: { type: String, default: null },
    remarks: { type: String, default: null },
    details: { type: [detailSchema], default: [] },
    next_row_seq: { type: Number, required: true },
    version: { type: Number, required: true },
    deleted_at: { type: Date, default: null },
    dunning_suspensions: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'entitlements', outbox: true },
);
entitlementSchema.index({ tenant_id: 1, created_at: -1 });
entitlementSchema.index({ tenant_id: 1, customer_id: 1 });
entitlementSchema.index({ tenant_id: 1, 'details.id': 1 });
