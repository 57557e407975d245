import {
  BANDWIDTH_TYPES,
  CUSTOMER_TYPES,
  DETAIL_STATUSES,
  type BandwidthType,
  type EntitlementDetailView,
  type ListQuery,
} from '@ledgerline/contracts';
import { groupByBandwidthType } from '../domain/bandwidth';
import { DETAIL_SEARCH, type DetailFilters, type DetailWithParent } from '../store/entitlements';
import { detailView } from '../views';
import type { Caller, CustomersDeps } from './context';
import { findCustomer } from './customers';
import { entitlementSearch, findEntitlement } from './entitlements';
import { boolFilter, dateWindow, enumFilter, textFilter } from './filters';
import { invalid } from './writes';

/** Entitlement detail lists: all rows, one entitlement's, by bandwidth type, and in a window. */

const DETAIL_SORT: Record<string, string> = {
  start_date: 'start_date',
  end_date: 'end_date',
  created_at: 'created_at',
  mbps: 'mbps',
  unit_price: 'unit_price_minor',
  bandwidth_type: 'bandwidth_type',
  status: 'status',
};

function detailSort(query: ListQuery, fallback: Record<string, 1 | -1>): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (const key of query.sort) {
    const field = DETAIL_SORT[key.field];
    if (field) sort[field] = key.direction;
  }
  return Object.keys(sort).length > 0 ? sort : fallback;
}

/**
 * Seed 002 filters cust_entitlement_id, type, status, is_active, bandwidth_type; search over the
 * row's type, bandwidth type, status and remarks and its entitlement's bill number and customer.
 */
async function detailFilters(
  deps: CustomersDeps,
  caller: Caller,
  query: ListQuery,
): Promise<DetailFilters> {
  return {
    entitlement_id: textFilter(query, 'cust_entitlement_id', 'entitlement_master_id'),
    customer_id: textFilter(query, 'customer_id', 'customer_master_id'),
    type: enumFilter(query, 'type', CUSTOMER_TYPES),
    status: enumFilter(query, 'status', DETAIL_STATUSES),
    is_active: boolFilter(query, 'is_active'),
    bandwidth_type: enumFilter(query, 'bandwidth_type', BANDWIDTH_TYPES),
    search: await entitlementSearch(deps, caller, query, DETAIL_SEARCH),
  };
}

const toViews = (rows: DetailWithParent[]) =>
  rows.map((r) =>
    detailView(r.row, {
      entitlement_id: r.entitlement_id,
      customer_id: r.customer_id,
      currency: r.currency,
    }),
  );

/** GET /entitlement-details/: seed 002 filters cust_entitlement_id, type, status, is_active. */
export async function listDetails(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const { results, count } = await deps.entitlements.listDetails(
    caller.tenantId,
    await detailFilters(deps, caller, query),
    detailSort(query, { created_at: -1 }),
    query,
  );
  return { results: toViews(results), count };
}

/** GET /entitlements/{id}/details/: the entitlement's rows in creation order. */
export async function detailsOfEntitlement(
  deps: CustomersDeps,
  caller: Caller,
  entitlementId: string,
  query: ListQuery,
) {
  await findEntitlement(deps, caller, entitlementId);
  const { results, count } = await deps.entitlements.listDetails(
    caller.tenantId,
    { ...(await detailFilters(deps, caller, query)), entitlement_id: entitlementId },
    detailSort(query, { created_at: 1 }),
    query,
  );
  return { results: toViews(results), count };
}

function requiredCustomerId(query: ListQuery): string {
  const id = textFilter(query, 'customer_id', 'customer_master_id');
  if (!id) throw invalid('Invalid query parameters', 'customer_id', 'is required');
  return id;
}

/**
 * Seed 002 "Get Bandwidth Types (Grouped)": the customer's bandwidth rows under their type, every
 * type present even when empty, each group by start date.
 */
export async function bandwidthTypes(
  deps: CustomersDeps,
  caller: Caller,
  query: ListQuery,
): Promise<Record<BandwidthType, EntitlementDetailView[]>> {
  const customerId = requiredCustomerId(query);
  await findCustomer(deps, caller, customerId);
  const { results } = await deps.entitlements.listDetails(
    caller.tenantId,
    {
      ...(await detailFilters(deps, caller, query)),
      customer_id: customerId,
      type: 'bw',
      ...dateWindow(query),
    },
    { start_date: 1 },
    null,
  );
  return groupByBandwidthType(toViews(results));
}

/**
 * Seed 002 "Get History": the rows in force at some point between start_date and end_date (or in
 * the current `period`), oldest first; customer_id narrows it to one customer.
 */
export async function detailHistory(deps: CustomersDeps, caller: Caller, query: ListQuery) {
  const customerId = textFilter(query, 'customer_id', 'customer_master_id');
  if (customerId) await findCustomer(deps, caller, customerId);
  const window = dateWindow(query);
  const { results, count } = await deps.entitlements.listDetails(
    caller.tenantId,
    { ...(await detailFilters(deps, caller, query)), customer_id: customerId, ...window },
    detailSort(query, { start_date: 1 }),
    query,
  );
  return { results: toViews(results), count, window };
}
