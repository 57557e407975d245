import { AppError, PLATFORM_TENANT_ID } from '@ledgerline/contracts';

/** The tenant's objects an invoice may name, by the customers service's names for them. */
export interface ReferenceIds {
  customer_id?: string;
  entitlement_id?: string;
  utility_info_id?: string;
}
/** Per id asked: whether it exists in the tenant (null: not asked). */
export type ReferenceAnswer = Record<keyof ReferenceIds, boolean | null>;

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
} as const satisfies Record<string, keyof ReferenceIds>;
type InvoiceReferenceFields = { [F in keyof typeof INVOICE_FIELDS]?: string | null };

const WHAT: Record<keyof ReferenceIds, string> = {
  customer_id: 'customer',
  entitlement_id: 'entitlement',
  utility_info_id: 'utility information',
};

/**
 * Refuses (422, like the customers service's own references) an invoice naming a customer,
 * entitlement or utility information its tenant does not have, e.g. another tenant's: the ids
 * would otherwise be stored and passed on in events as if they were the tenant's.
 */
export async function assertInvoiceReferences(
  deps: { references: InvoiceReferences },
  caller: { tenantId: string; correlationId: string },
  fields: InvoiceReferenceFields,
): Promise<void> {
  const { references } = deps;
  const ids: ReferenceIds = {};
  for (const [field, name] of Object.entries(INVOICE_FIELDS) as [
    keyof InvoiceReferenceFields,
    keyof ReferenceIds,
  ][]) {
    const value = fields[field];
    if (value) ids[name] = value;
  }
  // the platform bills tenants: its invoices' customer_id is a tenant id, not one of its customers
  if (caller.tenantId === PLATFORM_TENANT_ID) delete ids.customer_id;
  if (Object.keys(ids).length === 0) return;
  const known = await references.known(caller.tenantId, ids);
  const unknown = Object.fromEntries(
    Object.entries(ids).filter(([name]) => known[name as keyof ReferenceIds] !== true),
  ) as ReferenceIds;
  if (Object.keys(unknown).length === 0) return;
  const answer = await references.existing(caller.tenantId, unknown, caller.correlationId);
  const missing = (Object.entries(INVOICE_FIELDS) as [string, keyof ReferenceIds][]).filter(
    ([, name]) => unknown[name] !== undefined && answer[name] !== true,
  );
  if (missing.length > 0) {
    throw AppError.validation(
      'Invalid invoice',
      missing.map(([field, name]) => ({
        field,
        message: `no such ${WHAT[name]} in this account`,
      })),
    );
  }
}
