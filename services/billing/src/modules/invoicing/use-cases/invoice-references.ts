import {
  AppError,
  PLATFORM_TENANT_ID,
  type ReferenceAnswer,
  type ReferenceIds,
} from '@ledgerline/contracts';

export type { ReferenceAnswer, ReferenceIds };
type SingleName = Exclude<keyof ReferenceIds, 'entitlement_details_ids'>;

export interface InvoiceReferences {
  /** Billing's own copies, kept from the customers service's events: fast, but seconds behind. */
  known(tenantId: string, ids: ReferenceIds): Promise<ReferenceAnswer>;
  /** The customers service itself, for what the copies do not hold (yet). */
  existing(tenantId: string, ids: ReferenceIds, correlationId: string): Promise<ReferenceAnswer>;
}

/** An invoice's fields that name the tenant's customers data, and what customers calls them. */
const INVOICE_FIELDS = {
  customer_id: 'customer_id',
  customer_entitlement_master_id: 'entitlement_id',
  information_master_id: 'utility_info_id',
} as const satisfies Record<string, SingleName>;
type InvoiceReferenceFields = { [F in keyof typeof INVOICE_FIELDS]?: string | null } & {
  /** Lines, each naming an entitlement row perhaps. */
  details?: readonly { entitlement_details_id?: string | null }[];
  /** A single line's own field (POST/PATCH/PUT /api/bills/invoice-details/). */
  entitlement_details_id?: string | null;
};

const WHAT: Record<SingleName, string> = {
  customer_id: 'customer',
  entitlement_id: 'entitlement',
  utility_info_id: 'utility information',
};

/** Each field naming an entitlement row, with the row id it names. */
function lineFields(fields: InvoiceReferenceFields): [string, string][] {
  const named: [string, string][] = [];
  if (fields.entitlement_details_id) {
    named.push(['entitlement_details_id', fields.entitlement_details_id]);
  }
  fields.details?.forEach((line, i) => {
    if (line.entitlement_details_id) {
      named.push([`details.${i}.entitlement_details_id`, line.entitlement_details_id]);
    }
  });
  return named;
}

/** What the copies did not confirm: to be asked of the customers service. */
function unconfirmed(ids: ReferenceIds, known: ReferenceAnswer): ReferenceIds {
  const rest: ReferenceIds = {};
  for (const name of Object.keys(WHAT) as SingleName[]) {
    if (ids[name] !== undefined && known[name] !== true) rest[name] = ids[name];
  }
  const rows = (ids.entitlement_details_ids ?? []).filter(
    (id) => known.entitlement_details?.[id] !== true,
  );
  if (rows.length > 0) rest.entitlement_details_ids = rows;
  return rest;
}

/**
 * Refuses (422, like the customers service's own references) an invoice naming a customer,
 * entitlement, utility information or entitlement row its tenant does not have, e.g. another
 * tenant's: the ids would otherwise be stored and passed on in events as if they were the
 * tenant's. Billing's copies answer first; what they do not hold is asked of customers, so an id
 * a client was answered with a moment ago is accepted at once.
 */
export async function assertInvoiceReferences(
  deps: { references: InvoiceReferences },
  caller: { tenantId: string; correlationId: string },
  fields: InvoiceReferenceFields,
): Promise<void> {
  const { references } = deps;
  const ids: ReferenceIds = {};
  for (const [field, name] of Object.entries(INVOICE_FIELDS) as [
    keyof typeof INVOICE_FIELDS,
    SingleName,
  ][]) {
    const value = fields[field];
    if (value) ids[name] = value;
  }
  // the platform bills tenants: its invoices' customer_id is a tenant id, not one of its customers
  if (caller.tenantId === PLATFORM_TENANT_ID) delete ids.customer_id;
  const rows = lineFields(fields);
  if (rows.length > 0) ids.entitlement_details_ids = [...new Set(rows.map(([, id]) => id))];
  if (Object.keys(ids).length === 0) return;
  const unknown = unconfirmed(ids, await references.known(caller.tenantId, ids));
  if (Object.keys(unknown).length === 0) return;
  const answer = await references.existing(caller.tenantId, unknown, caller.correlationId);
  const missing = (Object.entries(INVOICE_FIELDS) as [string, SingleName][])
    .filter(([, name]) => unknown[name] !== undefined && answer[name] !== true)
    .map(([field, name]) => ({ field, message: `no such ${WHAT[name]} in this account` }));
  const asked = new Set(unknown.entitlement_details_ids ?? []);
  for (const [field, id] of rows) {
    if (asked.has(id) && answer.entitlement_details?.[id] !== true) {
      missing.push({ field, message: 'no such entitlement detail in this account' });
    }
  }
  if (missing.length > 0) throw AppError.validation('Invalid invoice', missing);
}
