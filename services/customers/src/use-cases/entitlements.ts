import {
  AppError,
  buildEvent,
  type EntitlementPatchRequest,
  type EntitlementRequest,
  type EntitlementView,
  type EventEnvelope,
  type ListQuery,
} from '@ledgerline/contracts';
import { ignoreNotFound, newId, searchedNames } from '@ledgerline/platform';
import type { Customer } from '../store/customers';
import {
  ENTITLEMENT_SEARCH,
  type DetailRow,
  type Entitlement,
  type EntitlementSearch,
} from '../store/entitlements';
import { detailSnapshot, entitlementView } from '../views';
import { fieldsOf, today, type Caller, type CustomersDeps } from './context';
import { dateFilter, textFilter } from './filters';
import { resourceReads } from './reads';
import { invalid, newDocument, nonNegativeMinor, withReferenced, type Reference } from './writes';

const ENTITLEMENT_DEFAULTS = {
  bill_number: null,
  activation_date: null,
  nttn_company: null,
  nttn_capacity: null,
  type_of_bw: null,
  type_of_connection: null,
  connected_pop: null,
  remarks: null,
};

type DetailEvent =
  'EntitlementDetailCreated' | 'EntitlementDetailUpdated' | 'EntitlementDetailDeleted';

export function detailEvent(
  type: DetailEvent,
  row: DetailRow,
  e: Pick<Entitlement, '_id' | 'tenant_id' | 'customer_id' | 'currency' | 'bill_number'>,
  caller: Pick<Caller, 'correlationId'>,
): EventEnvelope {
  return buildEvent(type, {
    tenant_id: e.tenant_id,
    correlation_id: caller.correlationId,
    data: detailSnapshot(row, e),
  });
}

function totalBill(value: string | number | null | undefined, currency: string): number | null {
  if (value === null || value === undefined) return null;
  return nonNegativeMinor(value, currency, 'total_bill', 'Invalid entitlement');
}

/** The customer an entitlement names: its lock keeps the customer from being deleted meanwhile. */
const CUSTOMER_REFERENCE: Reference<Customer> = {
  aggregate: (deps) => deps.customers.aggregate,
  find: (deps, tenantId, id) => deps.customers.findById(tenantId, id),
  refusal: () =>
    invalid('Invalid entitlement', 'customer_master_id', 'no such customer in this account'),
};

async function views(
  deps: CustomersDeps,
  tenantId: string,
  entitlements: Entitlement[],
  withDetails: boolean,
): Promise<EntitlementView[]> {
  const customers = await deps.customers.findByIds(tenantId, [
    ...new Set(entitlements.map((e) => e.customer_id)),
  ]);
  const names = new Map(customers.map((c) => [c._id, c.customer_name]));
  const day = today(deps);
  return entitlements.map((e) =>
    entitlementView(e, { customerName: names.get(e.customer_id) ?? null, today: day, withDetails }),
  );
}

/** One entitlement is shown with its rows; a list (listEntitlements) without them. */
const entitlementReads = resourceReads({
  label: 'Entitlement',
  find: (deps, tenantId, id) => deps.entitlements.findById(tenantId, id),
  views: (deps, tenantId, entitlements: Entitlement[]) => views(deps, tenantId, entitlements, true),
});
export const findEntitlement = entitlementReads.find;
export const getEntitlement = entitlementReads.get;

/**
 * The query's search of entitlements (or rows, whose searchable names are `names`), with the
 * customers whose name it matches when the customer's name is searched.
 */
export async function entitlementSearch(
  deps: CustomersDeps,
  caller: Caller,
  query: ListQuery,
  names: readonly string[] = ENTITLEMENT_SEARCH,
): Promise<EntitlementSearch | undefined> {
  if (!query.search) return undefined;
  const byName = searchedNames(query, names).includes('customer_name');
  return {
    query,
    customerIds: byName ? await deps.customers.idsByName(caller.tenantId, query.search) : [],
  };
}

/**
 * Seed 002 filters: customer_master_id, activation_date (one day; start_date/end_date give a
 * range), search over bill_number and the customer's name (q_f: bill_number, customer_name).
 */
export async function listEntitlements(
  deps: CustomersDeps,
  caller: Caller,
  query: ListQuery,
  customerId?: string,
) {
  const day = (d?: Date) => d?.toISOString().slice(0, 10);
  const { results, count } = await deps.entitlements.list(caller.tenantId, query, {
    customer_id: customerId ?? textFilter(query, 'customer_master_id', 'customer_id'),
    activation_date: dateFilter(query, 'activation_date'),
    activation_from: day(query.startDate),
    activation_to: day(query.endDate),
    search: await entitlementSearch(deps, caller, query),
  });
  return { results: await views(deps, caller.tenantId, results, false), count };
}

export async function createEntitlement(
  deps: CustomersDeps,
  caller: Caller,
  req: EntitlementRequest,
): Promise<EntitlementView> {
  const customerId = req.customer_master_id;
  const saved = await withReferenced(deps, caller, CUSTOMER_REFERENCE, customerId, (customer) => {
    const { customer_master_id: _c, total_bill, ...rest } = req;
    const fields = {
      customer_id: customer._id,
      ...(fieldsOf(rest, true, ENTITLEMENT_DEFAULTS) as typeof ENTITLEMENT_DEFAULTS),
      total_bill_minor: totalBill(total_bill, customer.currency),
      currency: customer.currency,
      details: [],
      next_row_seq: 1,
      version: 1,
      deleted_at: null,
    };
    return deps.entitlements.insert(newDocument(newId('ent'), caller, fields), []);
  });
  const [view] = await views(deps, caller.tenantId, [saved], true);
  return view!;
}

/**
 * PATCH (`full` false) or PUT (`full` true). An entitlement moves to another customer only while
 * it has no rows; a new bill number is re-announced on every row's event (billing reads it there).
 */
export async function updateEntitlement(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
  req: EntitlementPatchRequest,
  full: boolean,
): Promise<EntitlementView> {
  const before = await findEntitlement(deps, caller, id);
  const targetCustomer = req.customer_master_id ?? before.customer_id;
  const key = { id, tenantId: caller.tenantId };
  await deps.aggregates.guard(deps.customers.aggregate, targetCustomer, () =>
    deps.aggregates.change<Entitlement>(deps.entitlements.aggregate, key, async (current) => {
      const { customer_master_id: _c, total_bill, ...rest } = req;
      const set = fieldsOf(rest, full, ENTITLEMENT_DEFAULTS) as Partial<Entitlement>;
      let currency = current.currency;
      if (targetCustomer !== current.customer_id) {
        if (current.details.length > 0) {
          throw AppError.conflict(
            'in_use',
            'An entitlement with details cannot move to another customer',
            [{ field: 'customer_master_id', message: 'the entitlement has details' }],
          );
        }
        const customer = await CUSTOMER_REFERENCE.find(deps, caller.tenantId, targetCustomer);
        if (!customer) throw CUSTOMER_REFERENCE.refusal();
        set.customer_id = customer._id;
        set.currency = currency = customer.currency;
      }
      if (total_bill !== undefined || full) {
        set.total_bill_minor = totalBill(total_bill, currency);
      } else if (currency !== current.currency && current.total_bill_minor !== null) {
        throw AppError.validation('Invalid entitlement', [
          {
            field: 'total_bill',
            message: `send it again in ${currency}, the new customer's currency`,
          },
        ]);
      }
      const next = { ...current, ...set };
      const events: EventEnvelope[] = [];
      if (next.bill_number !== current.bill_number && current.details.length > 0) {
        set.details = current.details.map((row) => ({ ...row, revision: row.revision + 1 }));
        for (const row of set.details) {
          events.push(detailEvent('EntitlementDetailUpdated', row, next, caller));
        }
      }
      return { set: { ...set, updated_by: caller.userId }, events };
    }),
  );
  return getEntitlement(deps, caller, id);
}

export async function deleteEntitlement(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
): Promise<void> {
  await findEntitlement(deps, caller, id);
  await softDeleteEntitlement(deps, caller, id);
}

/**
 * Marks an entitlement deleted and announces the end of each of its rows, in one write. The
 * document stays (hidden) so its events can leave through its outbox.
 */
export async function softDeleteEntitlement(
  deps: CustomersDeps,
  caller: Caller,
  id: string,
): Promise<void> {
  await deps.aggregates
    .change<Entitlement>(
      deps.entitlements.aggregate,
      { id, tenantId: caller.tenantId },
      (current) => {
        const rows = current.details.map((row) => ({ ...row, revision: row.revision + 1 }));
        return {
          set: { deleted_at: new Date(), details: rows, updated_by: caller.userId },
          events: rows.map((row) => detailEvent('EntitlementDetailDeleted', row, current, caller)),
        };
      },
    )
    .catch(ignoreNotFound);
}
